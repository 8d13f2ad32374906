use super::*;

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn options_short_and_long() {
    let o =
        parse_args(&args(&["-qO-", "--header", "X-A: 1", "--post-data=a=b", "-T", "5", "-nv", "http://web/"])).unwrap();
    assert!(o.quiet);
    assert_eq!(o.output.as_deref(), Some("-"));
    assert_eq!(o.headers, vec!["X-A: 1"]);
    assert_eq!(o.post.as_deref(), Some(&b"a=b"[..]));
    assert_eq!(o.timeout, Some(Duration::from_secs(5)));
    assert_eq!(o.urls, vec!["http://web/"]);
    let o = parse_args(&args(&["--spider", "-S", "--user-agent", "me", "web"])).unwrap();
    assert!(o.spider && o.server_response);
    assert_eq!(o.user_agent.as_deref(), Some("me"));
    assert_eq!(parse_args(&args(&["--bogus"])).unwrap_err(), "unrecognized option '--bogus'");
    assert_eq!(parse_args(&args(&["-z"])).unwrap_err(), "invalid option -- 'z'");
    assert_eq!(parse_args(&args(&["--header"])).unwrap_err(), "option '--header' requires an argument");
}

#[test]
fn requests_and_file_names() {
    let url = Url::parse("http://web:8080/dir/page.html?x=1").unwrap();
    assert_eq!(file_name(&url), "page.html?x=1");
    assert_eq!(file_name(&Url::parse("http://web").unwrap()), "index.html");
    assert_eq!(file_name(&Url::parse("http://web/dir/").unwrap()), "index.html");
    let o = Options::default();
    assert_eq!(
        String::from_utf8(request(&o, &url)).unwrap(),
        "GET /dir/page.html?x=1 HTTP/1.1\r\nHost: web:8080\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n"
    );
    let o = Options { post: Some(b"k=v".to_vec()), headers: vec!["Host: other".into()], ..Options::default() };
    assert_eq!(
        String::from_utf8(request(&o, &url)).unwrap(),
        "POST /dir/page.html?x=1 HTTP/1.1\r\nUser-Agent: Wget\r\nConnection: close\r\nHost: other\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\nk=v"
    );
}
