//! Every error, worded as BuildKit words it.

use super::error;
use crate::image::build::{parse, ErrorKind};

/// `(Dockerfile, the message docker build prints)`.
const CASES: &[(&str, &str)] = &[
    // The line scanner: bare messages.
    ("", "the Dockerfile cannot be empty"),
    ("# only a comment\n\n", "file with no instructions"),
    ("ARG A=1\n", "dockerfile contains no stages to build"),
    ("RUN apt-get update\n", "no build stage in current context"),
    ("FROM alpine\nRUN <<EOF\nx\n", "unterminated heredoc"),
    ("# escape=x\nFROM alpine\n", "invalid escape token 'x' does not match ` or \\"),
    ("# escape=`\n# escape=\\\nFROM alpine\n", "only one escape parser directive can be used"),
    ("# syntax=a\n# SYNTAX=b\nFROM alpine\n", "only one syntax parser directive can be used"),
    ("FROM alpine\nENV x\n", "ENV must have two arguments"),
    ("FROM alpine\nLABEL x\n", "LABEL must have two arguments"),
    (
        "FROM alpine\nENV a=1 x\n",
        "Syntax error - can't find = in \"x\". Must be of the form: name=value",
    ),
    (
        "FROM alpine\nLABEL a=1 \"b c\"\n",
        "Syntax error - can't find = in \"\\\"b c\\\"\". Must be of the form: name=value",
    ),
    (
        "FROM alpine\nCMD [\"a\", 1]\n",
        "when using JSON array syntax, arrays must be comprised of strings only",
    ),
    // The instruction parser: prefixed with the line.
    ("FROM alpine\n\nRUNN echo\n", "dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)"),
    ("FROM alpine\nrunn echo\n", "dockerfile parse error on line 2: unknown instruction: runn (did you mean run?)"),
    ("FROM alpine\nFNTRYPOINT a\n", "dockerfile parse error on line 2: unknown instruction: FNTRYPOINT (did you mean ENTRYPOINT?)"),
    ("FROM alpine\nBADCMD\n", "dockerfile parse error on line 2: unknown instruction: BADCMD"),
    ("FROM alpine\nECHO hi\n", "dockerfile parse error on line 2: unknown instruction: ECHO"),
    ("FROM\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    ("FROM a b\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    ("FROM a AS\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    ("FROM a FOR b\n", "dockerfile parse error on line 1: FROM requires either one or three arguments"),
    (
        "FROM a AS 1st\n",
        "dockerfile parse error on line 1: invalid name for build stage: \"1st\", name can't start with a number or contain symbols",
    ),
    (
        "FROM a AS my/stage\n",
        "dockerfile parse error on line 1: invalid name for build stage: \"my/stage\", name can't start with a number or contain symbols",
    ),
    ("FROM --platform a\n", "dockerfile parse error on line 1: missing a value on flag: --platform"),
    ("FROM alpine\nENV\n", "dockerfile parse error on line 2: ENV requires at least one argument"),
    ("FROM alpine\nENV =x\n", "dockerfile parse error on line 2: ENV names can not be blank"),
    ("FROM alpine\nLABEL =x\n", "dockerfile parse error on line 2: LABEL names can not be blank"),
    ("FROM alpine\nLABEL\n", "dockerfile parse error on line 2: LABEL requires at least one argument"),
    ("FROM alpine\nARG\n", "dockerfile parse error on line 2: ARG requires at least one argument"),
    ("FROM alpine\nARG =x\n", "dockerfile parse error on line 2: ARG names can not be blank"),
    ("FROM alpine\nMAINTAINER\n", "dockerfile parse error on line 2: MAINTAINER requires exactly one argument"),
    ("FROM alpine\nWORKDIR\n", "dockerfile parse error on line 2: WORKDIR requires exactly one argument"),
    ("FROM alpine\nUSER\n", "dockerfile parse error on line 2: USER requires exactly one argument"),
    ("FROM alpine\nSTOPSIGNAL\n", "dockerfile parse error on line 2: STOPSIGNAL requires exactly one argument"),
    ("FROM alpine\nEXPOSE\n", "dockerfile parse error on line 2: EXPOSE requires at least one argument"),
    ("FROM alpine\nVOLUME\n", "dockerfile parse error on line 2: VOLUME requires at least one argument"),
    ("FROM alpine\nVOLUME []\n", "dockerfile parse error on line 2: VOLUME requires at least one argument"),
    ("FROM alpine\nVOLUME [\"\"]\n", "dockerfile parse error on line 2: VOLUME specified can not be an empty string"),
    ("FROM alpine\nONBUILD\n", "dockerfile parse error on line 2: ONBUILD requires at least one argument"),
    ("FROM alpine\nSHELL\n", "dockerfile parse error on line 2: SHELL requires at least one argument"),
    ("FROM alpine\nSHELL []\n", "dockerfile parse error on line 2: SHELL requires at least one argument"),
    ("FROM alpine\nSHELL sh -c\n", "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form"),
    ("FROM alpine\nHEALTHCHECK\n", "dockerfile parse error on line 2: HEALTHCHECK requires at least one argument"),
    (
        "FROM alpine\nCOPY app.py\n",
        "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined",
    ),
    (
        "FROM alpine\nADD\n",
        "dockerfile parse error on line 2: ADD requires at least two arguments, but only one was provided. Destination could not be determined",
    ),
    ("FROM alpine\nONBUILD ONBUILD RUN x\n", "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
    ("FROM alpine\nONBUILD FROM x\n", "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger"),
    ("FROM alpine\nONBUILD maintainer x\n", "dockerfile parse error on line 2: MAINTAINER isn't allowed as an ONBUILD trigger"),
    ("FROM alpine\nONBUILD RUNN x\n", "dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)"),
    // Flags.
    ("FROM alpine\nCOPY --form=builder a b\n", "dockerfile parse error on line 2: unknown flag: --form (did you mean from?)"),
    ("FROM alpine\nCOPY --nope a b\n", "dockerfile parse error on line 2: unknown flag: --nope"),
    ("FROM alpine\nRUN --mnt=type=cache,target=/x true\n", "dockerfile parse error on line 2: unknown flag: --mnt (did you mean mount?)"),
    ("FROM alpine\nCMD --help\n", "dockerfile parse error on line 2: unknown flag: --help"),
    ("FROM alpine\nWORKDIR --x /a\n", "dockerfile parse error on line 2: unknown flag: --x"),
    ("FROM alpine\nCOPY --from=a --from=b x y\n", "dockerfile parse error on line 2: duplicate flag specified: --from"),
    ("FROM alpine\nCOPY --from x y\n", "dockerfile parse error on line 2: missing a value on flag: --from"),
    ("FROM alpine\nCOPY --link= x y\n", "dockerfile parse error on line 2: missing a value on flag: --link"),
    ("FROM alpine\nCOPY --link=yes x y\n", "dockerfile parse error on line 2: expecting boolean value for flag --link, not: yes"),
    ("FROM alpine\nRUN --network=bridge true\n", "dockerfile parse error on line 2: invalid network mode \"bridge\""),
    ("FROM alpine\nRUN --security=privileged true\n", "dockerfile parse error on line 2: security \"privileged\" is not valid"),
    // HEALTHCHECK.
    ("FROM alpine\nHEALTHCHECK NONE x\n", "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments"),
    ("FROM alpine\nHEALTHCHECK CMD\n", "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD"),
    ("FROM alpine\nHEALTHCHECK curl x\n", "dockerfile parse error on line 2: Unknown type \"CURL\" in HEALTHCHECK (try CMD)"),
    ("FROM alpine\nHEALTHCHECK --interval=5 CMD x\n", "dockerfile parse error on line 2: time: missing unit in duration \"5\""),
    ("FROM alpine\nHEALTHCHECK --interval=5d CMD x\n", "dockerfile parse error on line 2: time: unknown unit \"d\" in duration \"5d\""),
    ("FROM alpine\nHEALTHCHECK --timeout=abc CMD x\n", "dockerfile parse error on line 2: time: invalid duration \"abc\""),
    ("FROM alpine\nHEALTHCHECK --timeout=. CMD x\n", "dockerfile parse error on line 2: time: invalid duration \".\""),
    ("FROM alpine\nHEALTHCHECK --interval=10us CMD x\n", "dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms"),
    ("FROM alpine\nHEALTHCHECK --start-period=-1s CMD x\n", "dockerfile parse error on line 2: Interval \"start-period\" cannot be less than 1ms"),
    ("FROM alpine\nHEALTHCHECK --retries=-1 CMD x\n", "dockerfile parse error on line 2: --retries cannot be negative (-1)"),
    ("FROM alpine\nHEALTHCHECK --retries=three CMD x\n", "dockerfile parse error on line 2: strconv.ParseInt: parsing \"three\": invalid syntax"),
    ("FROM alpine\nHEALTHCHECK --retries=9999999999 CMD x\n", "dockerfile parse error on line 2: strconv.ParseInt: parsing \"9999999999\": value out of range"),
    ("FROM alpine\nHEALTHCHECK --interval=99999999999h CMD x\n", "dockerfile parse error on line 2: time: invalid duration \"99999999999h\""),
];

#[test]
fn every_error_message() {
    for (text, want) in CASES {
        assert_eq!(error(text), *want, "{text:?}");
    }
}

#[test]
fn errors_carry_their_lines_and_kind() {
    let e = parse("FROM alpine\nRUN a \\\n  b\nRUNN x\n").unwrap_err();
    assert_eq!((e.line, e.end_line, e.kind), (Some(4), Some(4), ErrorKind::Instruction));
    assert_eq!(e.message, "unknown instruction: RUNN (did you mean RUN?)");
    let e = parse("FROM alpine\nENV a=1 \\\n  x\n").unwrap_err();
    assert_eq!((e.line, e.end_line, e.kind), (Some(2), Some(3), ErrorKind::Syntax));
    let e = parse("FROM alpine\nCOPY \\\n  --link=maybe a b\n").unwrap_err();
    assert_eq!((e.line, e.end_line), (Some(2), Some(3)));
}

#[test]
fn the_line_scanner_reports_before_the_instruction_parser() {
    // BuildKit reads every line first: a bad ENV on line 3 wins over RUNN on line 2.
    assert_eq!(error("FROM alpine\nRUNN x\nENV y\n"), "ENV must have two arguments");
}

#[test]
fn a_line_longer_than_64_kib_is_refused() {
    let long = format!("FROM alpine\nRUN echo {}\n", "x".repeat(70_000));
    assert_eq!(error(&long), "dockerfile line greater than max allowed size of 65535");
    let only = format!("# {}\n", "x".repeat(70_000));
    assert_eq!(error(&only), "file with no instructions");
}
