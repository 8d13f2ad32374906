FROM ubuntu:latest
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl unzip && \
    curl -o data.zip https://example.com/data.zip && \
    unzip data.zip && \
    rm data.zip && \
    apt-get purge -y --auto-remove curl unzip && \
    apt-get clean && \
    rm -rf /var/lib/apt/lists/*
