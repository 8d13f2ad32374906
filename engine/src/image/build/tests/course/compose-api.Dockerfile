# compose-app/api/Dockerfile
FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
# Variable d'environnement par défaut
ENV TARGET="Docker Compose"
EXPOSE 5000
CMD ["python", "app.py"]
