"""Checked extractions into one Briefing: one actor per real-world actor, items deduplicated, ids
stable whatever order the calls finished in; hands the Briefing to rendering.
"""
