//! The Dockerfiles of the course (`cours-docker-fondamentaux.md`, `cours-docker-introduction.md`),
//! lightly rewritten: every one must parse, to the stages and instructions the lesson describes.

use super::{error, parse_ok, s, strings};
use crate::image::build::{Instruction, ShellOrExec};

/// Chapter 3 exercise: the first image (`mon-app-docker`).
pub(crate) const MON_APP: &str = "\
# Utiliser une image Python officielle comme base
FROM python:3.9-slim

# Définir le répertoire de travail dans le conteneur
WORKDIR /app

# Copier le script Python local dans le répertoire de travail du conteneur
COPY app.py .

# Définir une variable d'environnement (optionnel)
ENV MESSAGE_PERSO=\"Ceci est mon message !\"

# Définir la commande à exécuter au démarrage du conteneur
CMD [\"python\", \"app.py\"]
";

/// Chapter 3.6: a multi-stage build (Maven, then a JRE).
pub(crate) const MULTI_STAGE: &str = "\
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
ENTRYPOINT [\"java\", \"-jar\", \"app.jar\"]
";

/// Compose chapter: the Flask API.
pub(crate) const COMPOSE_API: &str = "\
# compose-app/api/Dockerfile
FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
# Variable d'environnement par défaut
ENV TARGET=\"Docker Compose\"
EXPOSE 5000
CMD [\"python\", \"app.py\"]
";

/// Voting app: `vote/Dockerfile`.
pub(crate) const VOTE: &str = "\
FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
# Installation des dépendances
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV REDIS_HOST=redis
EXPOSE 5000
CMD [\"flask\", \"run\", \"--host=0.0.0.0\", \"--port=5000\"]
";

/// Voting app: `worker/Dockerfile` (with the commented-out apt-get line).
pub(crate) const WORKER: &str = "\
FROM python:3.9-slim
WORKDIR /app
# RUN apt-get update && apt-get install -y libpq-dev gcc && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY worker.py .
ENV REDIS_HOST=redis
ENV POSTGRES_HOST=db
ENV POSTGRES_USER=postgres
ENV POSTGRES_PASSWORD=postgres
ENV POSTGRES_DB=postgres
CMD [\"python\", \"worker.py\"]
";

/// Voting app: `result/Dockerfile` (Node.js).
pub(crate) const RESULT: &str = "\
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
CMD [\"npm\", \"start\"]
";

/// Best practices: one RUN with `&&` and continuations (the lesson's fragment, with a FROM).
pub(crate) const ONE_LAYER: &str = "\
FROM ubuntu:latest
RUN apt-get update && \\
    apt-get install -y --no-install-recommends curl unzip && \\
    curl -o data.zip https://example.com/data.zip && \\
    unzip data.zip && \\
    rm data.zip && \\
    apt-get purge -y --auto-remove curl unzip && \\
    apt-get clean && \\
    rm -rf /var/lib/apt/lists/*
";

/// Best practices: cache-friendly order for Node.js.
pub(crate) const NODE_CACHE: &str = "\
FROM node:18-alpine
WORKDIR /app
# Copier d'abord les fichiers de dépendances
COPY package*.json ./
# Installer les dépendances (couche mise en cache)
RUN npm install --production
# Copier le reste du code (change souvent)
COPY . .
CMD [\"node\", \"server.js\"]
";

/// Security: a non-root user.
pub(crate) const NON_ROOT: &str = "\
FROM ubuntu:latest
# ... autres instructions (ex: apt-get install) ...
RUN groupadd -r appuser && useradd -r -g appuser appuser
# chown -R appuser:appuser /app
USER appuser
WORKDIR /app
CMD [\"mon-app\"]
";

/// Introduction: the classic first Dockerfile (its screenshot: ADD, pip, EXPOSE, ENV NAME).
pub(crate) const INTRO_APP: &str = "\
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
CMD [\"python\", \"app.py\"]
";

/// Introduction: one example per instruction of its tour (FROM twice, MAINTAINER, RUN, CMD,
/// EXPOSE, ENV, COPY, ADD, ENTRYPOINT, VOLUME, USER, WORKDIR, ONBUILD).
pub(crate) const INTRO_TOUR: &str = "\
FROM ubuntu:14.04
MAINTAINER Nom Prénom <email@example.com>
RUN apt-get update && apt-get install -y php5
CMD [\"echo\", \"Bonjour\"]
EXPOSE 8080
ENV USER_NAME=docker
COPY index.html /var/www/html/
ADD https://example.com/archive.tar.gz /tmp/
ENTRYPOINT [\"/usr/bin/php\"]
VOLUME [\"/data\"]
USER webuser
WORKDIR /var/www
ONBUILD ADD . /app/src
FROM nginx:latest
";

/// Every course Dockerfile, named (the fuzz seeds reuse them).
pub(crate) const ALL: &[(&str, &str)] = &[
    ("mon-app", MON_APP),
    ("multi-stage", MULTI_STAGE),
    ("compose-api", COMPOSE_API),
    ("vote", VOTE),
    ("worker", WORKER),
    ("result", RESULT),
    ("one-layer", ONE_LAYER),
    ("node-cache", NODE_CACHE),
    ("non-root", NON_ROOT),
    ("intro-app", INTRO_APP),
    ("intro-tour", INTRO_TOUR),
];

/// `(from, name, instruction keywords)` of each stage.
fn shape(text: &str) -> Vec<(String, Option<String>, Vec<&'static str>)> {
    parse_ok(text)
        .stages
        .iter()
        .map(|st| {
            let keywords = st.instructions.iter().map(|i| i.value.keyword()).collect();
            (st.from.clone(), st.name.clone(), keywords)
        })
        .collect()
}

#[test]
fn every_course_dockerfile_parses() {
    for (name, text) in ALL {
        let file = parse_ok(text);
        assert!(!file.stages.is_empty(), "{name}");
    }
}

#[test]
fn first_image() {
    assert_eq!(
        shape(MON_APP),
        vec![(
            s("python:3.9-slim"),
            None,
            vec!["WORKDIR", "COPY", "ENV", "CMD"]
        )]
    );
    let file = parse_ok(MON_APP);
    let steps: Vec<_> = file.stages[0]
        .instructions
        .iter()
        .map(|i| (i.line, i.text.as_str()))
        .collect();
    assert_eq!(
        steps,
        vec![
            (5, "WORKDIR /app"),
            (8, "COPY app.py ."),
            (11, "ENV MESSAGE_PERSO=\"Ceci est mon message !\""),
            (14, "CMD [\"python\", \"app.py\"]"),
        ]
    );
    let env = file.stages[0].instructions[2]
        .value
        .expanded(&|_| None, '\\');
    assert_eq!(
        env,
        Ok(Instruction::Env(vec![(
            s("MESSAGE_PERSO"),
            s("Ceci est mon message !")
        )]))
    );
    assert!(file.warnings().is_empty());
}

#[test]
fn multi_stage() {
    assert_eq!(
        shape(MULTI_STAGE),
        vec![
            (
                s("maven:3.8-openjdk-17"),
                Some(s("builder")),
                vec!["WORKDIR", "COPY", "RUN", "COPY", "RUN"]
            ),
            (
                s("openjdk:17-jre-slim"),
                None,
                vec!["WORKDIR", "COPY", "EXPOSE", "ENTRYPOINT"]
            ),
        ]
    );
    let file = parse_ok(MULTI_STAGE);
    match &file.stages[1].instructions[1].value {
        Instruction::Copy(c) => assert_eq!(
            (c.from.as_deref(), c.sources.clone(), c.dest.as_str()),
            (
                Some("builder"),
                strings(&["/build/target/*.jar"]),
                "app.jar"
            )
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(file.stage("builder").map(|st| st.line), Some(2));
}

#[test]
fn voting_app() {
    assert_eq!(
        shape(VOTE)[0].2,
        vec!["WORKDIR", "COPY", "RUN", "COPY", "ENV", "EXPOSE", "CMD"]
    );
    assert_eq!(shape(WORKER)[0].2.len(), 10);
    assert_eq!(shape(RESULT)[0].0, "node:18-alpine");
    assert_eq!(shape(COMPOSE_API)[0].2.last(), Some(&"CMD"));
    // The course's POSTGRES_PASSWORD earns BuildKit's secrets warning, as it would for real.
    let w: Vec<_> = parse_ok(WORKER).warnings().iter().map(|w| w.rule).collect();
    assert_eq!(w, vec!["SecretsUsedInArgOrEnv"]);
}

#[test]
fn one_layer_run() {
    let file = parse_ok(ONE_LAYER);
    let run = &file.stages[0].instructions[0];
    assert_eq!((run.line, run.end_line), (2, 9));
    match &run.value {
        Instruction::Run(r) => match &r.cmd {
            ShellOrExec::Shell(cmd) => {
                assert!(cmd.starts_with("apt-get update &&     apt-get install -y"));
                assert!(cmd.ends_with("apt-get clean &&     rm -rf /var/lib/apt/lists/*"));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

#[test]
fn fragments_without_from_fail_as_docker_says() {
    assert_eq!(
        error("RUN apt-get update\nRUN apt-get install -y curl\n"),
        "no build stage in current context"
    );
}

#[test]
fn introduction() {
    assert_eq!(
        shape(INTRO_APP),
        vec![(
            s("python:2.7-slim"),
            None,
            vec!["WORKDIR", "ADD", "RUN", "EXPOSE", "ENV", "CMD"]
        )]
    );
    let tour = shape(INTRO_TOUR);
    assert_eq!(tour.len(), 2);
    assert_eq!(
        tour[0].2,
        vec![
            "MAINTAINER",
            "RUN",
            "CMD",
            "EXPOSE",
            "ENV",
            "COPY",
            "ADD",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ONBUILD"
        ]
    );
    let rules: Vec<_> = parse_ok(INTRO_APP)
        .warnings()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert_eq!(
        rules,
        vec!["LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 12)"]
    );
}

#[test]
fn the_non_root_and_cache_examples() {
    assert_eq!(shape(NON_ROOT)[0].2, vec!["RUN", "USER", "WORKDIR", "CMD"]);
    assert_eq!(
        shape(NODE_CACHE)[0].2,
        vec!["WORKDIR", "COPY", "RUN", "COPY", "CMD"]
    );
}
