//! `-w, --write-out FORMAT`: text printed after a transfer with `%{variable}`s filled in
//! (`%{http_code}`, `%{url_effective}`, `%{time_total}`...), `%header{name}`, and the `\n`,
//! `\r`, `\t` escapes.

use std::time::Duration;

/// What a transfer found out, for `-w`.
#[derive(Debug, Clone, Default)]
pub struct Info {
    pub http_code: u16,
    pub http_version: String,
    pub method: String,
    pub url_effective: String,
    pub scheme: String,
    pub num_redirects: u32,
    pub redirect_url: String,
    pub size_download: u64,
    pub size_upload: u64,
    pub size_header: u64,
    pub size_request: u64,
    pub content_type: String,
    pub remote_ip: String,
    pub remote_port: u16,
    pub local_ip: String,
    pub local_port: u16,
    pub filename_effective: String,
    pub time_namelookup: Duration,
    pub time_connect: Duration,
    pub time_starttransfer: Duration,
    pub time_total: Duration,
    pub exitcode: u8,
    pub errormsg: String,
    /// The last response's headers, for `%header{name}`.
    pub headers: Vec<(String, String)>,
}

fn secs(d: Duration) -> String {
    format!("{:.6}", d.as_secs_f64())
}

impl Info {
    fn variable(&self, name: &str) -> Option<String> {
        let speed = |n: u64| (n as f64 / self.time_total.as_secs_f64().max(1e-6)) as u64;
        Some(match name {
            "http_code" | "response_code" => format!("{:03}", self.http_code),
            "http_version" => self.http_version.clone(),
            "method" => self.method.clone(),
            "url_effective" | "url" => self.url_effective.clone(),
            "scheme" => self.scheme.to_ascii_uppercase(),
            "num_redirects" => self.num_redirects.to_string(),
            "redirect_url" => self.redirect_url.clone(),
            "size_download" => self.size_download.to_string(),
            "size_upload" => self.size_upload.to_string(),
            "size_header" => self.size_header.to_string(),
            "size_request" => self.size_request.to_string(),
            "speed_download" => speed(self.size_download).to_string(),
            "speed_upload" => speed(self.size_upload).to_string(),
            "content_type" => self.content_type.clone(),
            "remote_ip" => self.remote_ip.clone(),
            "remote_port" => self.remote_port.to_string(),
            "local_ip" => self.local_ip.clone(),
            "local_port" => self.local_port.to_string(),
            "filename_effective" => self.filename_effective.clone(),
            "time_namelookup" => secs(self.time_namelookup),
            "time_connect" => secs(self.time_connect),
            "time_appconnect" => secs(Duration::ZERO),
            "time_pretransfer" => secs(self.time_connect),
            "time_starttransfer" => secs(self.time_starttransfer),
            "time_redirect" => secs(Duration::ZERO),
            "time_total" => secs(self.time_total),
            "exitcode" => self.exitcode.to_string(),
            "errormsg" => self.errormsg.clone(),
            "num_connects" => u32::from(self.remote_port != 0).to_string(),
            _ => return None,
        })
    }
}

/// Expands `format`; unknown variables are reported on `warnings` (curl's own words).
pub fn expand(format: &str, info: &Info, warnings: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("%{") {
            if let Some(end) = after.find('}') {
                let name = &after[..end];
                match info.variable(name) {
                    Some(v) => out.push_str(&v),
                    None => warnings.push(format!("unknown --write-out variable: '{name}'")),
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("%header{") {
            if let Some(end) = after.find('}') {
                let name = &after[..end];
                let values: Vec<&str> = info
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
                    .collect();
                out.push_str(&values.join(", "));
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("%%") {
            out.push('%');
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix('\\') {
            match after.chars().next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => {
                    out.push('\\');
                    break;
                }
            }
            rest = &after[after.chars().next().map_or(0, char::len_utf8)..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_escapes() {
        let info = Info {
            http_code: 200,
            url_effective: "http://web/".into(),
            size_download: 615,
            time_total: Duration::from_micros(1500),
            headers: vec![("Server".into(), "nginx".into())],
            ..Info::default()
        };
        let mut w = Vec::new();
        assert_eq!(
            expand(
                "%{http_code} %{url_effective} %{size_download} %{time_total}\\n100%% %header{server}",
                &info,
                &mut w
            ),
            "200 http://web/ 615 0.001500\n100% nginx"
        );
        assert!(w.is_empty());
        assert_eq!(expand("%{bogus}|", &info, &mut w), "|");
        assert_eq!(w, vec!["unknown --write-out variable: 'bogus'"]);
        assert_eq!(expand("%{http_code", &info, &mut w), "%{http_code");
        assert_eq!(expand("\\", &Info::default(), &mut w), "\\");
        assert_eq!(expand("%{http_code}", &Info::default(), &mut w), "000");
    }
}
