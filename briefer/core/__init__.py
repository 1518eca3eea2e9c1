"""The small core every stage shares: the data types passed between stages (models), errors and
exit codes, redaction, the one file writer, languages and typography, start-up and interrupts.
"""
