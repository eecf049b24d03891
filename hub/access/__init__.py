"""Gated repos' access: license acceptance and access requests.

A plain package (no models: ``LicenseAcceptance`` stays in ``hub.licenses``).
It sits above the catalog and the notifications: ``services`` (a user accepts
the terms, an admin decides), ``selectors`` (a repo's requests), ``usecases``
(what an actor asks, each deciding who may).
"""
