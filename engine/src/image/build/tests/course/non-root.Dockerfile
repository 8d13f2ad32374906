FROM ubuntu:latest
# ... autres instructions (ex: apt-get install) ...
RUN groupadd -r appuser && useradd -r -g appuser appuser
# chown -R appuser:appuser /app
USER appuser
WORKDIR /app
CMD ["mon-app"]
