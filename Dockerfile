# The smartmed service: one replica. docker-compose.yml runs several behind nginx.
# Build stage: the wheel (code + bundled content + widget script), nothing else.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY service ./service
COPY content ./content
COPY widget/smartmed-widget.js ./widget/smartmed-widget.js
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# SMARTMED_RELEASE: production refuses content that awaits clinical review (placeholder
# reviewers only) or lacks sources, at start and on every reload: see content/README.md.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SMARTMED_RELEASE=true
RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin smartmed
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
# The content is baked into the wheel; mount another directory and set
# SMARTMED_CONTENT_DIR to serve (and live-reload) content without rebuilding.
USER smartmed
WORKDIR /tmp
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"]
# Docker stops with SIGTERM: uvicorn finishes in-flight requests first (8 s at most).
STOPSIGNAL SIGTERM
CMD ["smartmed", "serve", "--release", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
