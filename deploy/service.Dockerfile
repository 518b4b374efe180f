# syntax=docker/dockerfile:1
# One image recipe for every service, the gateway and the connector, built from the repository
# root: docker build -f deploy/service.Dockerfile --build-arg SERVICE=orders -t oms/orders:0.1.0 .
# The base image is pinned to an exact patch release; bump it on purpose (docs/deploy.md).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# Builder: generates the contracts from proto/ and builds a wheel of every package the image
# needs (ours and, pinned by constraints.txt, third-party ones). Its tools stay behind.
FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
WORKDIR /src
COPY constraints.txt ./
COPY proto proto
COPY libs libs
COPY services/${SERVICE} services/${SERVICE}
RUN test -n "${SERVICE}" \
 && pip install --no-cache-dir -c constraints.txt setuptools grpcio-tools mypy-protobuf \
 && PYTHONPATH=libs/devstack/src python -m devstack.contracts generate \
 && pip wheel --no-cache-dir --no-build-isolation -c constraints.txt -w /wheels \
      ./libs/contracts ./libs/servicekit ./libs/messaging ./libs/pricing ./libs/printing \
      ./libs/servicehost ./services/${SERVICE}

# Runtime: the installed wheels only (migrations ship inside the service's package), no
# compilers, no installer, and an unprivileged user with a fixed id (runAsNonRoot can check it).
FROM ${PYTHON_IMAGE}
ARG SERVICE
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 SERVICE=${SERVICE}
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links /wheels "oms-${SERVICE}" \
 && pip uninstall -y -q pip setuptools wheel \
 && useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin oms
USER 10001:10001
# logs go to /tmp (a writable volume where the root filesystem is read-only); the ports are the
# service's (docker-compose.yml and deploy/k8s name them)
CMD ["sh", "-c", "exec python -m \"$SERVICE\""]
