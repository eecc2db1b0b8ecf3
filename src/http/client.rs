//! Who the client is: the connecting peer, or, when the peer is one of the operator's trusted
//! proxies, the rightmost address in `X-Forwarded-For` (or RFC 7239 `Forwarded: for=`) that is not
//! a trusted proxy itself. A client writes the left of those headers itself, so only what the
//! trusted proxies appended counts. The rate limits, the conversation quota and the admin guard
//! all use this one address.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

/// The proxies whose forwarding headers are believed (`[server] trusted_proxies`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads addresses (`10.0.0.5`) and ranges (`10.0.0.0/8`, `::1/128`).
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "`{entry}` is no address or range such as `10.0.0.5` or `10.0.0.0/8`"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, address: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(address))
    }

    /// The client's address for a request from `peer` with these headers.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(&peer) {
            return Some(peer);
        }
        let hops = forwarded_for(headers);
        // Right to left: the first hop no trusted proxy accounts for is the client. When every
        // hop is a trusted proxy, the leftmost is the closest to the client there is.
        hops.iter()
            .rev()
            .find(|hop| !self.trusts(hop))
            .or_else(|| hops.first())
            .copied()
            .or(Some(peer))
    }
}

/// The addresses of `Forwarded: for=…` (RFC 7239), else of `X-Forwarded-For`, left to right.
/// An entry that is no address (`unknown`, an obfuscated name) ends the list there: nothing to
/// its left can be trusted.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let standard: Vec<String> = headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| value.trim().trim_matches('"').to_string())
            })
        })
        .collect();
    let entries: Vec<String> = if standard.is_empty() {
        headers
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|entry| entry.trim().to_string())
            .collect()
    } else {
        standard
    };
    let mut addresses: Vec<IpAddr> = Vec::new();
    for entry in entries.iter().rev() {
        match address_of(entry) {
            Some(address) => addresses.push(address),
            None => break,
        }
    }
    addresses.reverse();
    addresses
}

/// `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn address_of(entry: &str) -> Option<IpAddr> {
    if let Ok(address) = entry.parse() {
        return Some(address);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    entry.rsplit_once(':')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).expect("value"),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn proxies(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&entries.iter().map(|e| e.to_string()).collect::<Vec<_>>())
            .expect("proxies")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let forged = headers(&[("x-forwarded-for", "203.0.113.5")]);
        assert_eq!(
            trusted.client(Some(ip("198.51.100.7")), &forged),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            TrustedProxies::default().client(Some(ip("127.0.0.1")), &forged),
            Some(ip("127.0.0.1"))
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        // Regression: the leftmost entry, which the client writes itself, was taken.
        let trusted = proxies(&["127.0.0.1", "10.0.0.0/8"]);
        let chain = headers(&[("x-forwarded-for", "203.0.113.5, 198.51.100.7, 10.1.2.3")]);
        assert_eq!(
            trusted.client(Some(ip("127.0.0.1")), &chain),
            Some(ip("198.51.100.7"))
        );
        let two = headers(&[
            ("x-forwarded-for", "203.0.113.5"),
            ("x-forwarded-for", "198.51.100.7"),
        ]);
        assert_eq!(
            trusted.client(Some(ip("127.0.0.1")), &two),
            Some(ip("198.51.100.7"))
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client(Some(ip("10.0.0.9")), &HeaderMap::new()),
            Some(ip("10.0.0.9"))
        );
    }

    #[test]
    fn the_standard_forwarded_header_is_read_with_ports_and_ipv6() {
        let trusted = proxies(&["::1/128", "127.0.0.1"]);
        let standard = headers(&[(
            "forwarded",
            "for=203.0.113.5;proto=https, for=\"[2001:db8::7]:4711\"",
        )]);
        assert_eq!(
            trusted.client(Some(ip("::1")), &standard),
            Some(ip("2001:db8::7"))
        );
        let unknown = headers(&[("x-forwarded-for", "203.0.113.5, unknown")]);
        assert_eq!(
            trusted.client(Some(ip("127.0.0.1")), &unknown),
            Some(ip("127.0.0.1")),
            "nothing left of an unreadable hop is believed"
        );
    }

    #[test]
    fn entries_must_be_addresses_or_ranges() {
        assert!(TrustedProxies::parse(&["10.0.0.0/8".into(), "::1".into()]).is_ok());
        assert!(TrustedProxies::parse(&["proxy.local".into()]).is_err());
        assert!(TrustedProxies::parse(&["10.0.0.0/33".into()]).is_err());
    }
}
