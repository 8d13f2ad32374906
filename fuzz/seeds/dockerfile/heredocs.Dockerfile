# syntax=docker/dockerfile:1
FROM alpine:3.19 AS base
RUN <<EOF
apk add --no-cache curl
echo "ready" > /ready
EOF
COPY <<-'CONF' <<motd /etc/app/
	key=${VALUE}
	CONF
Bienvenue $USER
motd
RUN python3 <<PY > /out.txt && cat 3<<X
print("hi")
PY
x
X
