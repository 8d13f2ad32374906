//! The interpolation table: each template, the environment, and what Compose v2.36.2 makes of it.

use super::*;
use crate::compose::parse::parse;

fn env(pairs: &[(&str, &str)]) -> Env {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn the_interpolation_table() {
    let e = env(&[("A", "x$y"), ("EMPTY", ""), ("TAG", "1.0"), ("name", "low")]);
    let cases: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("$A", "x$y"),
        ("${A}", "x$y"),
        ("pre-${TAG}-post", "pre-1.0-post"),
        ("$name and ${name}", "low and low"),
        ("${UNSET:-def}", "def"),
        ("${EMPTY:-def}", "def"),
        ("${UNSET-def}", "def"),
        ("${EMPTY-def}", ""),
        ("${TAG:-def}", "1.0"),
        ("${TAG:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("${UNSET:-${TAG:-x}}", "1.0"),
        ("${UNSET:-${ALSO:-deep}}", "deep"),
        ("${UNSET:-a}-${TAG}", "a-1.0"),
        ("$$HOME", "$HOME"),
        ("$${TAG}", "${TAG}"),
        ("cost $5", "cost $5"),
        ("end $", "end $"),
        ("${UNSET:-with space}", "with space"),
        ("${EMPTY?}", ""),
    ];
    for (template, expected) in cases {
        let mut w = Vec::new();
        assert_eq!(substitute(template, &e, &mut w).as_deref(), Ok(*expected), "{template}");
        assert!(w.is_empty(), "{template}: {w:?}");
    }
}

#[test]
fn unset_variables_warn_and_required_ones_fail() {
    let e = env(&[("EMPTY", "")]);
    let mut w = Vec::new();
    assert_eq!(substitute("a${NOPE}b$NOPE2", &e, &mut w).as_deref(), Ok("ab"));
    assert_eq!(
        w,
        [
            "The \"NOPE\" variable is not set. Defaulting to a blank string.",
            "The \"NOPE2\" variable is not set. Defaulting to a blank string."
        ]
    );
    let req = |v: &str, r: &str| Err(TemplateError::Required { variable: v.into(), reason: r.into() });
    assert_eq!(substitute("${IMG:?il faut IMG}", &e, &mut w), req("IMG", "il faut IMG"));
    assert_eq!(substitute("${EMPTY:?vide}", &e, &mut w), req("EMPTY", "vide"));
    assert_eq!(substitute("${IMG?}", &e, &mut w), req("IMG", ""));
    assert_eq!(substitute("${A B}", &e, &mut w), Err(TemplateError::Invalid));
    assert_eq!(substitute("${}", &e, &mut w), Err(TemplateError::Invalid));
    assert_eq!(substitute("${A:-x", &e, &mut w), Err(TemplateError::Invalid));
}

fn interpolated(yaml: &str, e: &Env) -> Result<(Map, Vec<String>), String> {
    let mut doc = match parse(yaml).unwrap().remove(0) {
        Value::Map(m) => m,
        _ => panic!("not a map"),
    };
    let mut w = Vec::new();
    interpolate(&mut doc, e, &mut w).map_err(|e| e.to_string())?;
    Ok((doc, w))
}

#[test]
fn documents_are_interpolated_with_compose_errors() {
    let e = env(&[("T", "yes"), ("N", "3")]);
    let (doc, w) = interpolated(
        "services:\n  web:\n    image: ${IMG:-nginx}\n    tty: ${T}\n    deploy:\n      replicas: ${N}\n",
        &e,
    )
    .unwrap();
    let web = doc.get("services").unwrap().get("web").unwrap();
    assert_eq!(web.get("image"), Some(&Value::Str("nginx".into())));
    assert_eq!(web.get("tty"), Some(&Value::Bool(true)));
    assert_eq!(web.get("deploy").unwrap().get("replicas"), Some(&Value::Int(3)));
    assert_eq!(w, ["\"yes\" for boolean is not supported by YAML 1.2, please use `true`"]);
    assert_eq!(
        interpolated("services:\n  web:\n    image: ${IMG:?il faut IMG}\n", &e).unwrap_err(),
        "error while interpolating services.web.image: required variable IMG is missing a value: il faut IMG"
    );
    assert_eq!(
        interpolated("services:\n  web:\n    image: ${A B}\n", &e).unwrap_err(),
        "invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\n${A B}"
    );
    assert_eq!(
        interpolated("services:\n  web:\n    image: x\n    tty: maybe\n", &e).unwrap_err(),
        "error while interpolating services.web.tty: failed to cast to expected type: invalid boolean: maybe"
    );
}
