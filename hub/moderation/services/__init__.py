"""Writes of moderation: reports, the actions moderators take, the audit log.

Anyone signed in reports a model, a review, a discussion comment or a user
(``reports``). Who may act is decided here, for every face, by
``hub.moderation.permissions``: staff act on everything, decide reports and
undo moderation; admins of a repo add moderation (hide, lock) to its
community content and never remove what staff applied. Every service takes
the ``Actor`` (user and token) and checks for itself: the HF, ``/api/v1``
and web views parse input, call one service and render.

Every action (``actions``) is one entry of a table run by one function: it
inserts one ``ModerationAction`` (who, what, why, when, target) in the same
transaction as the change it records; the log is append-only. Authors of
hidden content and owners of a disabled repo are notified with the reason.
Maintainers' own lock and hide, from the discussion itself, are in
``discussions``.
"""
