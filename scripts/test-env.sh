# Sourced by `make test` and `make check`: where the test servers are.
# shellcheck shell=bash
eval "$(scripts/seaweedfs.sh env)"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
