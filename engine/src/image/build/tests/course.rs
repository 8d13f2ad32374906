//! The Dockerfiles of the course (`cours-docker-fondamentaux.md`, `cours-docker-introduction.md`),
//! lightly rewritten, kept as files in `course/` (the fuzz targets start from them too): every one
//! must parse, to the stages and instructions the lesson describes.

use super::{error, parse_ok, s, strings};
use crate::image::build::{Instruction, ShellOrExec};

/// Chapter 3 exercise: the first image (`mon-app-docker`).
pub(crate) const MON_APP: &str = include_str!("course/mon-app.Dockerfile");

/// Chapter 3.6: a multi-stage build (Maven, then a JRE).
pub(crate) const MULTI_STAGE: &str = include_str!("course/multi-stage.Dockerfile");

/// Compose chapter: the Flask API.
pub(crate) const COMPOSE_API: &str = include_str!("course/compose-api.Dockerfile");

/// Voting app: `vote/Dockerfile`.
pub(crate) const VOTE: &str = include_str!("course/vote.Dockerfile");

/// Voting app: `worker/Dockerfile` (with the commented-out apt-get line).
pub(crate) const WORKER: &str = include_str!("course/worker.Dockerfile");

/// Voting app: `result/Dockerfile` (Node.js).
pub(crate) const RESULT: &str = include_str!("course/result.Dockerfile");

/// Best practices: one RUN with `&&` and continuations (the lesson's fragment, with a FROM).
pub(crate) const ONE_LAYER: &str = include_str!("course/one-layer.Dockerfile");

/// Best practices: cache-friendly order for Node.js.
pub(crate) const NODE_CACHE: &str = include_str!("course/node-cache.Dockerfile");

/// Security: a non-root user.
pub(crate) const NON_ROOT: &str = include_str!("course/non-root.Dockerfile");

/// Introduction: the classic first Dockerfile (its screenshot: ADD, pip, EXPOSE, ENV NAME).
pub(crate) const INTRO_APP: &str = include_str!("course/intro-app.Dockerfile");

/// Introduction: one example per instruction of its tour (FROM twice, MAINTAINER, RUN, CMD,
/// EXPOSE, ENV, COPY, ADD, ENTRYPOINT, VOLUME, USER, WORKDIR, ONBUILD).
pub(crate) const INTRO_TOUR: &str = include_str!("course/intro-tour.Dockerfile");

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
    assert_eq!(shape(MON_APP), vec![(s("python:3.9-slim"), None, vec!["WORKDIR", "COPY", "ENV", "CMD"])]);
    let file = parse_ok(MON_APP);
    let steps: Vec<_> = file.stages[0].instructions.iter().map(|i| (i.line, i.text.as_str())).collect();
    assert_eq!(
        steps,
        vec![
            (5, "WORKDIR /app"),
            (8, "COPY app.py ."),
            (11, "ENV MESSAGE_PERSO=\"Ceci est mon message !\""),
            (14, "CMD [\"python\", \"app.py\"]"),
        ]
    );
    let env = file.stages[0].instructions[2].value.expanded(&|_| None, '\\');
    assert_eq!(env, Ok(Instruction::Env(vec![(s("MESSAGE_PERSO"), s("Ceci est mon message !"))])));
    assert!(file.warnings().is_empty());
}

#[test]
fn multi_stage() {
    assert_eq!(
        shape(MULTI_STAGE),
        vec![
            (s("maven:3.8-openjdk-17"), Some(s("builder")), vec!["WORKDIR", "COPY", "RUN", "COPY", "RUN"]),
            (s("openjdk:17-jre-slim"), None, vec!["WORKDIR", "COPY", "EXPOSE", "ENTRYPOINT"]),
        ]
    );
    let file = parse_ok(MULTI_STAGE);
    match &file.stages[1].instructions[1].value {
        Instruction::Copy(c) => assert_eq!(
            (c.from.as_deref(), c.sources.clone(), c.dest.as_str()),
            (Some("builder"), strings(&["/build/target/*.jar"]), "app.jar")
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(file.stage("builder").map(|st| st.line), Some(2));
}

#[test]
fn voting_app() {
    assert_eq!(shape(VOTE)[0].2, vec!["WORKDIR", "COPY", "RUN", "COPY", "ENV", "EXPOSE", "CMD"]);
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
    assert_eq!(error("RUN apt-get update\nRUN apt-get install -y curl\n"), "no build stage in current context");
}

#[test]
fn introduction() {
    assert_eq!(
        shape(INTRO_APP),
        vec![(s("python:2.7-slim"), None, vec!["WORKDIR", "ADD", "RUN", "EXPOSE", "ENV", "CMD"])]
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
    let rules: Vec<_> = parse_ok(INTRO_APP).warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(
        rules,
        vec!["LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 12)"]
    );
}

#[test]
fn the_non_root_and_cache_examples() {
    assert_eq!(shape(NON_ROOT)[0].2, vec!["RUN", "USER", "WORKDIR", "CMD"]);
    assert_eq!(shape(NODE_CACHE)[0].2, vec!["WORKDIR", "COPY", "RUN", "COPY", "CMD"]);
}
