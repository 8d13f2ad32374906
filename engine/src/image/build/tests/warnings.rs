//! Lint warnings, worded and placed as BuildKit's checks report them.

use super::parse_ok;
use crate::image::build::render_warnings;

fn warnings(text: &str) -> Vec<String> {
    parse_ok(text).warnings().iter().map(|w| w.to_string()).collect()
}

#[test]
fn a_clean_dockerfile_has_no_warnings() {
    assert!(warnings("FROM alpine AS base\nWORKDIR /app\nCMD [\"sh\"]\n").is_empty());
}

#[test]
fn maintainer_deprecated() {
    assert_eq!(
        warnings("FROM alpine\nMAINTAINER me\n"),
        vec!["MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 2)"]
    );
}

#[test]
fn json_args_recommended() {
    assert_eq!(
        warnings("FROM alpine\nENTRYPOINT top -b\nCMD echo hi\n"),
        vec![
            "JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals (line 2)",
            "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 3)",
        ]
    );
    // Not after a SHELL instruction, nor for the exec form.
    assert!(warnings("FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\nENTRYPOINT [\"x\"]\n").is_empty());
}

#[test]
fn from_as_casing_and_stage_name_casing() {
    assert_eq!(
        warnings("FROM alpine as Build\n"),
        vec![
            "StageNameCasing: Stage name 'Build' should be lowercase (line 1)",
            "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)",
        ]
    );
    assert_eq!(
        warnings("from alpine AS build\n"),
        vec!["FromAsCasing: 'AS' and 'from' keywords' casing do not match (line 1)"]
    );
}

#[test]
fn no_empty_continuation() {
    assert_eq!(
        warnings("FROM alpine\nRUN echo a \\\n\n  b\n"),
        vec!["NoEmptyContinuation: Empty continuation line (line 4)"]
    );
}

#[test]
fn legacy_key_value_format() {
    assert_eq!(
        warnings("FROM alpine\nENV NAME World\nLABEL a b\n"),
        vec![
            "LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 2)",
            "LegacyKeyValueFormat: \"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format (line 3)",
        ]
    );
}

#[test]
fn consistent_instruction_casing() {
    assert_eq!(
        warnings("FROM alpine\nrun true\nRUN true\nWorkdir /app\n"),
        vec![
            "ConsistentInstructionCasing: Command 'run' should match the case of the command majority (uppercase) (line 2)",
            "ConsistentInstructionCasing: Command 'Workdir' should match the case of the command majority (uppercase) (line 4)",
        ]
    );
}

#[test]
fn stage_names() {
    assert_eq!(
        warnings("FROM alpine AS scratch\nFROM alpine AS a\nFROM alpine AS a\n"),
        vec![
            "ReservedStageName: Stage name should not use the same name as reserved stage \"scratch\" (line 1)",
            "DuplicateStageName: Duplicate stage name \"a\", stage names should be unique (line 3)",
        ]
    );
}

#[test]
fn multiple_instructions_and_relative_workdir_and_secrets() {
    assert_eq!(
        warnings("FROM alpine\nWORKDIR app\nWORKDIR sub\nARG DB_PASSWORD\nENV API_KEY=x PUBLIC_KEY=y\nCMD [\"a\"]\nCMD [\"b\"]\n"),
        vec![
            "WorkdirRelativePath: Relative workdir \"app\" can have unexpected results if the base image changes (line 2)",
            "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"DB_PASSWORD\") (line 4)",
            "SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"API_KEY\") (line 5)",
            "MultipleInstructionsDisallowed: Multiple CMD instructions should not be used in the same stage because only the last one will be used (line 6)",
        ]
    );
}

#[test]
fn check_directive_skips_rules() {
    let text = "# check=skip=JSONArgsRecommended,MaintainerDeprecated\nFROM alpine\nMAINTAINER me\nCMD x\nENV a b\n";
    assert_eq!(
        warnings(text),
        vec!["LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 5)"]
    );
    assert!(warnings("# check=skip=all\nFROM alpine\nCMD x\n").is_empty());
}

#[test]
fn rendered_as_docker_build_prints_them() {
    let file = parse_ok("FROM alpine\nMAINTAINER me\n");
    assert_eq!(
        render_warnings(file.warnings()),
        " 1 warning found (use docker --debug to expand):\n - MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label (line 2)\n"
    );
    let file = parse_ok("FROM alpine\nMAINTAINER me\nCMD x\n");
    assert!(render_warnings(file.warnings()).starts_with(" 2 warnings found (use docker --debug to expand):\n - "));
    assert_eq!(render_warnings(&[]), "");
}
