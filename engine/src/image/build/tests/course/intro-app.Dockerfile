# Utiliser une image Python officielle comme parent
FROM python:2.7-slim
# Définir le répertoire de travail sur /app
WORKDIR /app
# Copier le contenu du répertoire actuel dans le conteneur à /app
ADD . /app
# Installer les paquets nécessaires spécifiés dans requirements.txt
RUN pip install --trusted-host pypi.python.org -r requirements.txt
# Rendre le port 80 disponible pour le monde extérieur
EXPOSE 80
# Définir une variable d'environnement
ENV NAME World
# Exécuter app.py au lancement du conteneur
CMD ["python", "app.py"]
