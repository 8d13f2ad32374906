# Utiliser une image Python officielle comme base
FROM python:3.9-slim

# Définir le répertoire de travail dans le conteneur
WORKDIR /app

# Copier le script Python local dans le répertoire de travail du conteneur
COPY app.py .

# Définir une variable d'environnement (optionnel)
ENV MESSAGE_PERSO="Ceci est mon message !"

# Définir la commande à exécuter au démarrage du conteneur
CMD ["python", "app.py"]
