"""The security audit log: who did what, from where, append-only.

Below the accounts: any service can record an event (``audit_record``)
without the log importing the apps it describes; names are stored as they
were, so an event outlives the user, organisation or repo it names.
"""
