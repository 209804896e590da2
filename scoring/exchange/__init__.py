"""Reading and writing scoring data as files (XLSX) that staff exchange with the portal.

Every import is all-or-nothing: a reader collects every problem of a file as an
ImportProblem (sheet, row, column, reason) and the service writes nothing unless
the list is empty.
"""
