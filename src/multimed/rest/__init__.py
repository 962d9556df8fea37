"""The REST shim: health, metrics, token, upload, file content. Delivery only: decode, call, encode."""
