"""What test modules share that is not a fixture. Fixtures stay in the `conftest.py` files,
which import from here; a test module imports from here, never from another test module or a
conftest (tests/test_quality.py checks).

Stand-ins, all real: `emulator` (Allegro's emulator as tests talk to it), `hostile_proxy` (an
HTTP proxy that misbehaves on cue) and `hostile_values`, the keyrings `memory_keyring`,
`file_keyring` (shared by a test's processes) and `broken_keyring`, `webhook_receiver`,
`lease_holder` (another process holding the sync lease), `processes` (the app run as a user
runs it).

Builders and checks: `api_stack` (our API clients on a fake clock), `auth_flow` (the device
flow on the emulator's clock), `served_orders` (orders as the emulator serves them),
`stored_shop` (a realistic shop in a database), `synced_shop` (an app syncing an emulator),
`sync_truth` (what a sync should have stored), `sync_app` (what the window's sync runs on),
`wired_window` (the main window wired to it as the app wires it), `sync_rounds` (a round of
the window's syncs awaited, and when the next is planned), `database_rows` (a whole database
as rows), `openapi_validation` (an answer checked against Allegro's OpenAPI spec).
"""
