"""Connecting seller accounts and keeping their tokens (no Qt; imports only domain and api).

- `device_flow`: the OAuth device-flow state machine the "Connect Allegro" dialog drives;
- `login`: one connect attempt start to finish (HTTP client, OAuth client, flow, registration);
- `token_store`: the OS keyring, the only place tokens and client secrets are kept;
- `token_provider`: hands the API client a valid access token, refreshing single-flight;
- `accounts`: the list of connected accounts (no secrets) and connect/disconnect;
- `credentials`: which client id and secret the app uses for an environment, and `bake`;
- `errors`: the expected failures of this layer (no keyring, no credentials, a damaged file).
"""
