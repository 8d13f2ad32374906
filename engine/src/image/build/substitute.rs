//! Which words of which instruction get their variables replaced, as BuildKit decides it when
//! it reaches the instruction: `ENV`, `LABEL` and `ARG` keys and values, `COPY`/`ADD` sources,
//! destination, `--chown`, `--chmod` (and `ADD --checksum`), the body of a heredoc with an
//! unquoted delimiter, `WORKDIR`, `USER`, `VOLUME`, `STOPSIGNAL`, and `EXPOSE` (which may split
//! into several ports). `RUN`, `CMD`, `ENTRYPOINT`, `SHELL`, `HEALTHCHECK`, `MAINTAINER` and
//! `ONBUILD` are left alone: the shell, or the later build, expands them.

use super::error::ParseError;
use super::expand::{expand, expand_heredoc, expand_words, Vars};
use super::instruction::{Arg, Heredoc, Instruction};

struct Expander<'a> {
    vars: Vars<'a>,
    escape: char,
}

impl Expander<'_> {
    fn word(&self, w: &str) -> Result<String, ParseError> {
        expand(w, self.vars, self.escape)
    }
    fn opt(&self, w: &Option<String>) -> Result<Option<String>, ParseError> {
        w.as_deref().map(|w| self.word(w)).transpose()
    }
    fn all(&self, ws: &[String]) -> Result<Vec<String>, ParseError> {
        ws.iter().map(|w| self.word(w)).collect()
    }
    fn pairs(&self, kvs: &[(String, String)]) -> Result<Vec<(String, String)>, ParseError> {
        kvs.iter().map(|(k, v)| Ok((self.word(k)?, self.word(v)?))).collect()
    }
    fn heredocs(&self, docs: &[Heredoc]) -> Result<Vec<Heredoc>, ParseError> {
        docs.iter()
            .map(|d| {
                let mut d = d.clone();
                if d.expand {
                    d.content = expand_heredoc(&d.content, self.vars)?;
                }
                Ok(d)
            })
            .collect()
    }
}

impl Instruction {
    /// This instruction with its variables replaced, as BuildKit does on reaching it. `vars`
    /// answers with the build-time variables at that point (the stage's `ARG`s and `ENV`s);
    /// `escape` is the Dockerfile's escape character. Every word is expanded against the same
    /// variables: in `ENV A=1 B=$A`, `B` gets the `A` from before the line, as in Docker.
    /// `COPY --from` and `RUN --mount` are left for the builder, which resolves them itself.
    pub fn expanded(&self, vars: Vars<'_>, escape: char) -> Result<Instruction, ParseError> {
        let x = Expander { vars, escape };
        Ok(match self {
            Self::Env(kvs) => Self::Env(x.pairs(kvs)?),
            Self::Label(kvs) => Self::Label(x.pairs(kvs)?),
            Self::Arg(args) => {
                Self::Arg(
                    args.iter()
                        .map(|a| Ok(Arg { name: x.word(&a.name)?, default: x.opt(&a.default)? }))
                        .collect::<Result<_, ParseError>>()?,
                )
            }
            Self::Copy(c) => {
                let mut c = c.clone();
                c.chown = x.opt(&c.chown)?;
                c.chmod = x.opt(&c.chmod)?;
                c.sources = x.all(&c.sources)?;
                c.dest = x.word(&c.dest)?;
                c.heredocs = x.heredocs(&c.heredocs)?;
                Self::Copy(c)
            }
            Self::Add(a) => {
                let mut a = a.clone();
                a.chown = x.opt(&a.chown)?;
                a.chmod = x.opt(&a.chmod)?;
                a.checksum = x.opt(&a.checksum)?;
                a.sources = x.all(&a.sources)?;
                a.dest = x.word(&a.dest)?;
                a.heredocs = x.heredocs(&a.heredocs)?;
                Self::Add(a)
            }
            Self::Workdir(p) => Self::Workdir(x.word(p)?),
            Self::User(u) => Self::User(x.word(u)?),
            Self::StopSignal(s) => Self::StopSignal(x.word(s)?),
            Self::Volume(v) => Self::Volume(x.all(v)?),
            Self::Expose(ports) => {
                let mut out = Vec::new();
                for p in ports {
                    out.extend(expand_words(p, vars, escape)?);
                }
                Self::Expose(out)
            }
            other => other.clone(),
        })
    }
}
