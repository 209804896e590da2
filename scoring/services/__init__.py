"""Everything that changes scoring data: one keyword-only function per use case, each atomic.

frameworks.py: import, export, clone and lock criteria frameworks.
assessments.py: self-assessment, submission, appraisal and explanation of an assessment.
appraisers.py: taking an appraiser off a unit.
"""
