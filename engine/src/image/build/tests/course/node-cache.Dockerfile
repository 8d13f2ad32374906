FROM node:18-alpine
WORKDIR /app
# Copier d'abord les fichiers de dépendances
COPY package*.json ./
# Installer les dépendances (couche mise en cache)
RUN npm install --production
# Copier le reste du code (change souvent)
COPY . .
CMD ["node", "server.js"]
