FROM ubuntu:14.04
MAINTAINER Nom Prénom <email@example.com>
RUN apt-get update && apt-get install -y php5
CMD ["echo", "Bonjour"]
EXPOSE 8080
ENV USER_NAME=docker
COPY index.html /var/www/html/
ADD https://example.com/archive.tar.gz /tmp/
ENTRYPOINT ["/usr/bin/php"]
VOLUME ["/data"]
USER webuser
WORKDIR /var/www
ONBUILD ADD . /app/src
FROM nginx:latest
