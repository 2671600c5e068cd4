# The collector's image is built FROM scratch: no shell and no HTTP client, so compose could not run a health check
# in it. A static busybox (musl build) brings wget for `busybox wget …/13133/` (the health_check extension).
FROM busybox:1.37-musl AS busybox

FROM otel/opentelemetry-collector-contrib:0.131.0
COPY --from=busybox /bin/busybox /bin/busybox
