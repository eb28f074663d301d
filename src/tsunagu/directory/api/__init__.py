"""The public, read-only Open Referral HSDS 3.0 API under ``/api/hsds/``.

``views`` answers the HSDS endpoints through ``directory.hsds`` (the JSON) and
``directory.search.find_services`` (which services); ``params`` reads and checks
the query string; ``terms`` resolves the taxonomies and terms HSDS clients filter
by; ``openapi`` documents it all for drf-spectacular (`/api/schema/`).
"""
