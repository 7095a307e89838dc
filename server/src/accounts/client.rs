//! The address a request comes from, for the login limit: the peer's, or — when the peer is one
//! of the proxies the deployment names (`MUTIRAO_TRUSTED_PROXIES`) — the address that proxy saw,
//! from `X-Forwarded-For`. Behind a proxy every request's peer is the proxy, so without this
//! everyone would share one limit; and a header from anyone else is ignored, since a client may
//! write any `X-Forwarded-For` it likes.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From `10.0.0.1, 10.1.0.0/16, ::1`: addresses or networks, separated by commas or spaces.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("“{s}” is not an IP address or network (such as 10.0.0.1 or 10.0.0.0/8)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(&ip))
    }

    /// The client's address: walking `X-Forwarded-For` from the right (the nearest hop first)
    /// while the hop is a trusted proxy, the first address that is not one; the peer itself when
    /// it is not trusted.
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map_while(|h| h.trim().parse::<IpAddr>().ok())
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            client = hop;
            if !self.trusts(hop) {
                break;
            }
        }
        Some(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().unwrap());
        h
    }

    #[test]
    fn the_forwarded_address_is_believed_only_from_a_trusted_proxy() {
        let proxies = TrustedProxies::parse("10.0.0.1, 172.16.0.0/12").unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // From the proxy: the address it saw.
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("203.0.113.7")), ip("203.0.113.7"));
        // Through two trusted hops; what the client itself wrote on the left is not believed.
        assert_eq!(proxies.client(ip("10.0.0.1"), &forwarded("6.6.6.6, 203.0.113.7, 172.16.5.4")), ip("203.0.113.7"));
        // From anyone else, the header is ignored.
        assert_eq!(proxies.client(ip("198.51.100.2"), &forwarded("203.0.113.7")), ip("198.51.100.2"));
        // A proxy that forwards nothing: the proxy.
        assert_eq!(proxies.client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // No proxies named: the peer, always.
        assert_eq!(TrustedProxies::default().client(ip("10.0.0.1"), &forwarded("203.0.113.7")), ip("10.0.0.1"));
        assert!(TrustedProxies::parse("10.0.0.1, nonsense").is_err());
        assert_eq!(TrustedProxies::parse("").unwrap().0.len(), 0);
    }
}
