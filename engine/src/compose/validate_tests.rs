//! Schema errors: each file and the message Compose v2.36.2 prints after `validating <file>: `.

use super::*;
use crate::compose::parse::parse;

fn check(yaml: &str) -> Result<(), String> {
    let Value::Map(doc) = parse(yaml).unwrap().remove(0) else { panic!("not a map") };
    validate(&doc).map_err(|e| e.to_string())
}

#[test]
fn the_vendored_schema_is_json() {
    assert!(serde_json::from_str::<Json>(SCHEMA_TEXT).is_ok());
    assert!(schema().get("definitions").is_some());
}

#[test]
fn valid_files_pass() {
    let ok = "version: '3.8'\nname: app\nservices:\n  web:\n    image: nginx\n    ports: [\"8080:80\", 9000, {target: 80, published: 8081}]\n    environment: {A: 1, B: null, C: true}\n    depends_on:\n      db: {condition: service_healthy}\n    healthcheck: {test: [CMD, \"true\"], interval: 10s}\n    x-note: anything\n  db:\n    build: .\nnetworks:\n  front: {driver: bridge, ipam: {config: [{subnet: 10.0.0.0/24}]}}\nvolumes:\n  data:\nx-common: &c {a: 1}\n";
    assert_eq!(check(ok), Ok(()));
}

#[test]
fn errors_read_as_compose_prints_them() {
    let cases = [
        ("services:\n  web:\n    imagee: nginx\n", "services.web Additional property imagee is not allowed"),
        ("services:\n  web:\n    image: nginx\n    ports: \"80\"\n", "services.web.ports must be a list"),
        ("services:\n  web:\n    image: nginx\n    ports:\n      - [1]\n", "services.web.ports.0 must be a number"),
        (
            "services:\n  web:\n    image: nginx\n    depends_on:\n      db:\n        condition: started\n",
            "services.web.depends_on.db.condition services.web.depends_on.db.condition must be one of the following: \"service_started\", \"service_healthy\", \"service_completed_successfully\"",
        ),
        ("foo: 1\nservices:\n  web:\n    image: nginx\n", "(root) Additional property foo is not allowed"),
        ("services:\n  web:\n    image: nginx\n    healthcheck:\n      interval: 10\n", "services.web.healthcheck.interval must be a string"),
        ("services:\n  web:\n    image: x\n    environment: \"A=1\"\n", "services.web.environment must be a mapping"),
        ("services:\n  web:\n    image: x\n    volumes: {a: b}\n", "services.web.volumes must be a list"),
        ("services:\n  web:\n    image: x\nnetworks: [a]\n", "networks must be a mapping"),
        ("services:\n  web:\n    build: {context: ., dockerfil: x}\n", "services.web.build Additional property dockerfil is not allowed"),
        ("services:\n  web:\n    image: x\n    command: 123\n", "services.web.command must be a null"),
        (
            "services:\n  web:\n    image: x\n    environment: {A: [1]}\n",
            "services.web.environment.A must be a string, number, boolean or null",
        ),
        ("services:\n  web:\n    image: x\n    restart: 5\n", "services.web.restart must be a string"),
        ("services:\n  web:\n    image: x\n    networks: {front: {aliases: a}}\n", "services.web.networks.front.aliases must be a list"),
        ("services:\n  web:\n    image: x\n    healthcheck:\n      test: 5\n", "services.web.healthcheck.test must be a string"),
        ("services:\n  web:\n    image: x\n    ports:\n      - {target: 80, bogus: 1}\n", "services.web.ports.0 Additional property bogus is not allowed"),
        ("services:\n  web:\n    image: 1\n", "services.web.image must be a string"),
        (
            "services:\n  web:\n    image: x\n    depends_on: {db: {condition: service_started, extra: 1}}\n",
            "services.web.depends_on.db Additional property extra is not allowed",
        ),
    ];
    for (yaml, expected) in cases {
        assert_eq!(check(yaml), Err(expected.to_string()), "{yaml}");
    }
}

#[test]
fn types_read_in_words() {
    assert_eq!(human_type("object"), "mapping");
    assert_eq!(human_type("[string,number]"), "string or number");
    assert_eq!(human_type("[string,number,boolean,null]"), "string, number, boolean or null");
}
