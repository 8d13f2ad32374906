FROM node:18-alpine
WORKDIR /app
# Copier package.json et package-lock.json (si existant)
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 5001
ENV POSTGRES_HOST=db
ENV POSTGRES_USER=postgres
ENV POSTGRES_PASSWORD=postgres
ENV POSTGRES_DB=postgres
CMD ["npm", "start"]
