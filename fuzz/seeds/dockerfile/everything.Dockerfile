# check=skip=JSONArgsRecommended
ARG BASE=python:3.9-slim
ARG TAG
FROM --platform=$BUILDPLATFORM ${BASE} AS Builder
MAINTAINER Nom <nom@example.com>
LABEL version="1.0" description='une "app"'
LABEL legacy value
ENV A=1 B="deux mots" C=trois\ quatre
ENV LEGACY valeur avec espaces
WORKDIR app
USER ${USER:-app}:app
EXPOSE 80 443/udp ${PORT}
VOLUME ["/data", "/logs"]
VOLUME /cache /tmp
RUN --mount=type=cache,target=/root/.cache --network=none pip install -r requirements.txt
RUN ["echo", "exec form", "\u00e9"]
COPY --from=builder --chown=1000:1000 --chmod=0755 --link --exclude=*.md a b /dest/
ADD --checksum=sha256:abc --keep-git-dir=false https://example.com/x.tar.gz /opt/
HEALTHCHECK --interval=1m30s --timeout=10s --start-period=5s --retries=3 CMD curl -f http://localhost/ || exit 1
HEALTHCHECK NONE
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
STOPSIGNAL SIGQUIT
ONBUILD RUN echo ${FILE%%.*} ${FILE#*.} ${P//\//|}
ENTRYPOINT ["python"]
CMD ["app.py"]
FROM scratch
COPY --from=0 /app /app
