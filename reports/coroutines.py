"""Running pyHanko's coroutines from the portal's synchronous code.

pyHanko's synchronous functions call asyncio.run, which refuses to run inside a thread
whose event loop is running: an async caller, or Playwright's loop in the browser
tests, where the test thread runs the publication task. There the coroutine runs in a
thread of its own.
"""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def coroutine_run(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run the coroutine that `factory` makes to completion, and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="coroutine") as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()
