"""The application: one RunSettings from flags, environment and config, a run planned and guarded,
the pipeline wired, briefings delivered and logged; hands the commands a result to print.
"""

# The application layer between the commands and the pipeline.
#
# `settings` turns flags, the environment and the config file into one RunSettings; `run` plans a
# run, checks its guards, drives the pipeline (one briefing, or one per article) and delivers it;
# `outputs` writes, reads back and mails briefings. Commands in `briefer.cli` only parse and print.
# Nothing here is imported by `briefer --help`.
