"""Everyday examples: small workflows that use fail, assign, wait and the error after an error edge.

`manage.py seed_examples` imports them as the "Everyday Examples" project;
their activities (activities.py) are in the WORKFLOW_ACTIVITY_MODULES setting.
"""
