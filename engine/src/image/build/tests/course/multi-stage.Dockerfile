# ---- Étape 1 : Build ----
FROM maven:3.8-openjdk-17 AS builder
WORKDIR /build
COPY pom.xml .
RUN mvn dependency:go-offline
COPY src ./src
RUN mvn package -DskipTests

# ---- Étape 2 : Production ----
FROM openjdk:17-jre-slim
WORKDIR /app
# Copier UNIQUEMENT le .jar compilé depuis l'étape 'builder'
COPY --from=builder /build/target/*.jar app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]
