//! Every instruction, in each of its forms.

use super::{instructions, one, parse_ok, s, strings};
use crate::image::build::{Add, Arg, Copy, Healthcheck, Instruction, Run, ShellOrExec};
use std::time::Duration;

fn run(cmd: ShellOrExec) -> Run {
    Run { cmd, mounts: vec![], network: None, security: None, devices: vec![], heredocs: vec![] }
}

fn copy(sources: &[&str], dest: &str) -> Copy {
    Copy {
        sources: strings(sources),
        heredocs: vec![],
        dest: dest.into(),
        from: None,
        chown: None,
        chmod: None,
        link: false,
        parents: false,
        excludes: vec![],
    }
}

#[test]
fn from_forms() {
    let file = parse_ok(
        "ARG BASE=alpine:3.19\nARG TAG V=1\nFROM ${BASE}\nFROM --platform=linux/amd64 maven:3.8 AS Builder\nFROM builder as final\n",
    );
    assert_eq!(
        file.global_args,
        vec![
            Arg { name: s("BASE"), default: Some(s("alpine:3.19")) },
            Arg { name: s("TAG"), default: None },
            Arg { name: s("V"), default: Some(s("1")) },
        ]
    );
    let st: Vec<_> = file.stages.iter().map(|s| (s.from.as_str(), s.name.as_deref(), s.platform.as_deref())).collect();
    assert_eq!(
        st,
        vec![
            ("${BASE}", None, None),
            ("maven:3.8", Some("builder"), Some("linux/amd64")),
            ("builder", Some("final"), None),
        ]
    );
    assert_eq!(file.stage("Builder").map(|s| s.line), Some(4));
    assert_eq!(file.stage("2").map(|s| s.line), Some(5));
    assert!(file.stage("nope").is_none());
}

#[test]
fn run_shell_and_exec_forms() {
    assert_eq!(one("RUN echo $HOME"), Instruction::Run(run(ShellOrExec::Shell(s("echo $HOME")))));
    assert_eq!(one(r#"RUN ["echo", "$HOME"]"#), Instruction::Run(run(ShellOrExec::Exec(strings(&["echo", "$HOME"])))));
}

#[test]
fn run_flags() {
    let got = one("RUN --mount=type=cache,target=/root/.cache --mount=type=bind,source=.,target=/src --network=none --security=insecure --device=nvidia.com/gpu=all pip install -r requirements.txt");
    let mut want = run(ShellOrExec::Shell(s("pip install -r requirements.txt")));
    want.mounts = strings(&["type=cache,target=/root/.cache", "type=bind,source=.,target=/src"]);
    want.network = Some(s("none"));
    want.security = Some(s("insecure"));
    want.devices = strings(&["nvidia.com/gpu=all"]);
    assert_eq!(got, Instruction::Run(want));
}

#[test]
fn a_double_dash_ends_the_flags() {
    assert_eq!(
        one("RUN --network=host -- --not-a-flag"),
        Instruction::Run(Run { network: Some(s("host")), ..run(ShellOrExec::Shell(s("--not-a-flag"))) })
    );
}

#[test]
fn cmd_and_entrypoint() {
    assert_eq!(one(r#"CMD ["python", "app.py"]"#), Instruction::Cmd(ShellOrExec::Exec(strings(&["python", "app.py"]))));
    assert_eq!(one("CMD python app.py"), Instruction::Cmd(ShellOrExec::Shell(s("python app.py"))));
    assert_eq!(
        one(r#"ENTRYPOINT ["java", "-jar", "app.jar"]"#),
        Instruction::Entrypoint(ShellOrExec::Exec(strings(&["java", "-jar", "app.jar"])))
    );
    assert_eq!(one("ENTRYPOINT exec top -b"), Instruction::Entrypoint(ShellOrExec::Shell(s("exec top -b"))));
    assert_eq!(one("CMD"), Instruction::Cmd(ShellOrExec::Shell(s(""))));
}

#[test]
fn env_forms() {
    let pairs = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (s(k), s(v))).collect::<Vec<_>>();
    assert_eq!(one("ENV APP_VERSION=1.0"), Instruction::Env(pairs(&[("APP_VERSION", "1.0")])));
    // Quotes and escapes stay until expansion.
    assert_eq!(
        one(r#"ENV MESSAGE_PERSO="Ceci est mon message !" B=x\ y C='$HOME' D="""#),
        Instruction::Env(pairs(&[
            ("MESSAGE_PERSO", "\"Ceci est mon message !\""),
            ("B", "x\\ y"),
            ("C", "'$HOME'"),
            ("D", "\"\""),
        ]))
    );
    // Legacy form: the value is the rest of the line.
    assert_eq!(one("ENV NAME World  and more"), Instruction::Env(pairs(&[("NAME", "World  and more")])));
    assert_eq!(one("ENV EMPTY="), Instruction::Env(pairs(&[("EMPTY", "")])));
}

#[test]
fn arg_forms() {
    assert_eq!(
        one("ARG USER=guest VERSION DEBUG="),
        Instruction::Arg(vec![
            Arg { name: s("USER"), default: Some(s("guest")) },
            Arg { name: s("VERSION"), default: None },
            Arg { name: s("DEBUG"), default: Some(s("")) },
        ])
    );
}

#[test]
fn label_maintainer_expose() {
    assert_eq!(
        one(r#"LABEL version="1.0" org.opencontainers.image.authors=me"#),
        Instruction::Label(vec![(s("version"), s("\"1.0\"")), (s("org.opencontainers.image.authors"), s("me"))])
    );
    assert_eq!(one("LABEL legacy value with spaces"), Instruction::Label(vec![(s("legacy"), s("value with spaces"))]));
    assert_eq!(
        one("MAINTAINER Jane Doe <jane@example.com>"),
        Instruction::Maintainer(s("Jane Doe <jane@example.com>"))
    );
    assert_eq!(one("EXPOSE 8080 80/udp 443"), Instruction::Expose(strings(&["443", "80/udp", "8080"])));
}

#[test]
fn workdir_user_volume_stopsignal_shell() {
    assert_eq!(one("WORKDIR /app"), Instruction::Workdir(s("/app")));
    assert_eq!(one("WORKDIR /path with spaces"), Instruction::Workdir(s("/path with spaces")));
    assert_eq!(one("USER appuser:appgroup"), Instruction::User(s("appuser:appgroup")));
    assert_eq!(one("VOLUME /data /logs"), Instruction::Volume(strings(&["/data", "/logs"])));
    assert_eq!(
        one(r#"VOLUME ["/var/lib/postgresql/data"]"#),
        Instruction::Volume(strings(&["/var/lib/postgresql/data"]))
    );
    assert_eq!(one("STOPSIGNAL SIGQUIT"), Instruction::StopSignal(s("SIGQUIT")));
    assert_eq!(
        one(r#"SHELL ["/bin/bash", "-o", "pipefail", "-c"]"#),
        Instruction::Shell(strings(&["/bin/bash", "-o", "pipefail", "-c"]))
    );
}

#[test]
fn copy_forms() {
    assert_eq!(one("COPY app.py ."), Instruction::Copy(copy(&["app.py"], ".")));
    assert_eq!(one("COPY package*.json ./"), Instruction::Copy(copy(&["package*.json"], "./")));
    assert_eq!(
        one(r#"COPY ["my file.txt", "other", "/dest dir/"]"#),
        Instruction::Copy(copy(&["my file.txt", "other"], "/dest dir/"))
    );
    let got = one("COPY --from=builder --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=tests /build/target/*.jar app.jar");
    let want = Copy {
        from: Some(s("builder")),
        chown: Some(s("app:app")),
        chmod: Some(s("0755")),
        link: true,
        parents: true,
        excludes: strings(&["*.md", "tests"]),
        ..copy(&["/build/target/*.jar"], "app.jar")
    };
    assert_eq!(got, Instruction::Copy(want));
    // Flag values may be quoted.
    match one(r#"COPY --chown="a b" --link=false x y"#) {
        Instruction::Copy(c) => assert_eq!((c.chown.as_deref(), c.link), (Some("a b"), false)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn add_forms() {
    let got =
        one("ADD --checksum=sha256:abc --keep-git-dir --unpack=false --chown=1000 https://example.com/a.tar.gz /opt/");
    let want = Add {
        sources: strings(&["https://example.com/a.tar.gz"]),
        heredocs: vec![],
        dest: s("/opt/"),
        chown: Some(s("1000")),
        chmod: None,
        link: false,
        checksum: Some(s("sha256:abc")),
        keep_git_dir: Some(true),
        unpack: Some(false),
        excludes: vec![],
    };
    assert_eq!(got, Instruction::Add(want));
    match one("ADD . /app") {
        Instruction::Add(a) => {
            assert_eq!((a.sources, a.dest, a.keep_git_dir, a.unpack), (strings(&["."]), s("/app"), None, None))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn healthcheck_forms() {
    assert_eq!(one("HEALTHCHECK NONE"), Instruction::Healthcheck(Healthcheck::None));
    assert_eq!(
        one("HEALTHCHECK --interval=1m30s --timeout=10s --start-period=0.5s --start-interval=500ms --retries=3 CMD curl -f http://localhost/ || exit 1"),
        Instruction::Healthcheck(Healthcheck::Cmd {
            test: ShellOrExec::Shell(s("curl -f http://localhost/ || exit 1")),
            interval: Some(Duration::from_secs(90)),
            timeout: Some(Duration::from_secs(10)),
            start_period: Some(Duration::from_millis(500)),
            start_interval: Some(Duration::from_millis(500)),
            retries: Some(3),
        })
    );
    assert_eq!(
        one(r#"healthcheck --interval=0s --retries=0 cmd ["pg_isready", "-U", "postgres"]"#),
        Instruction::Healthcheck(Healthcheck::Cmd {
            test: ShellOrExec::Exec(strings(&["pg_isready", "-U", "postgres"])),
            interval: None,
            timeout: None,
            start_period: None,
            start_interval: None,
            retries: None,
        })
    );
    assert_eq!(
        one("HEALTHCHECK --interval=1.5h CMD true"),
        Instruction::Healthcheck(Healthcheck::Cmd {
            test: ShellOrExec::Shell(s("true")),
            interval: Some(Duration::from_secs(5400)),
            timeout: None,
            start_period: None,
            start_interval: None,
            retries: None,
        })
    );
}

#[test]
fn onbuild_keeps_its_trigger_and_expression() {
    match one("ONBUILD   COPY --chown=app . /src") {
        Instruction::Onbuild { expression, trigger } => {
            assert_eq!(expression, "COPY --chown=app . /src");
            assert_eq!(*trigger, Instruction::Copy(Copy { chown: Some(s("app")), ..copy(&["."], "/src") }));
        }
        other => panic!("{other:?}"),
    }
    match one("onbuild run make") {
        Instruction::Onbuild { expression, trigger } => {
            assert_eq!(expression, "run make");
            assert_eq!(*trigger, Instruction::Run(run(ShellOrExec::Shell(s("make")))));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn multi_stage_build() {
    let file = parse_ok(
        "FROM golang:1.22 AS build\nWORKDIR /src\nRUN go build -o /out/app .\n\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n",
    );
    assert_eq!(file.stages.len(), 2);
    assert_eq!(file.stages[1].from, "scratch");
    assert_eq!(file.stages[1].instructions.len(), 2);
    assert_eq!(file.stages[1].instructions[0].text, "COPY --from=build /out/app /app");
    assert_eq!(file.stages[1].instructions[0].value.keyword(), "COPY");
}

#[test]
fn args_inside_a_stage_are_instructions() {
    let all = instructions("ARG BASE=alpine\nFROM $BASE\nARG BASE\nRUN echo $BASE\n");
    assert_eq!(all[0], Instruction::Arg(vec![Arg { name: s("BASE"), default: None }]));
}
