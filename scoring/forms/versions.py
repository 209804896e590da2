"""The version of a score a form was opened on, carried back with the post.

A save that finds the score at another version is refused (ScoreConflict): the form is
shown again with what the user typed, the saved values beside it, and the saved
version in its hidden field, so that saving again replaces them knowingly.
"""

from django import forms

from scoring.models import Score
from scoring.services.score_changes import AssessmentError, ScoreConflict


class VersionedForm(forms.Form):
    # Not required: a page opened before versions existed saves as it always did.
    version = forms.IntegerField(required=False, min_value=0, initial=0, widget=forms.HiddenInput)

    # What is saved now, once a save was refused for a conflict (for the template).
    conflict: Score | None = None

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def refuse(self, error: AssessmentError) -> None:
        """Show a service's refusal; after a conflict, rebase the form on the saved version."""
        self.add_error(None, str(error))
        if isinstance(error, ScoreConflict):
            self.conflict = error.score
            data = self.data.copy()
            data[self.add_prefix("version")] = str(error.score.version)
            self.data = data
