FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
# Installation des dépendances
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV REDIS_HOST=redis
EXPOSE 5000
CMD ["flask", "run", "--host=0.0.0.0", "--port=5000"]
