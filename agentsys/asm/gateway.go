package asm

import "errors"

// ErrNoProvider is returned when no provider, not even Local, can serve.
var ErrNoProvider = errors.New("asm: gateway: no provider available")

// Provider identifies an LLM back end of the cloud gateway.
type Provider uint8

// Providers in the gateway's fallback order.
const (
	Claude Provider = iota
	GPT4
	Gemini
	Local
)

// AllProviders returns every provider in display order.
func AllProviders() [4]Provider { return [4]Provider{Claude, GPT4, Gemini, Local} }

// String is the provider's display name.
func (p Provider) String() string {
	return [...]string{"Claude", "GPT-4", "Gemini", "Local"}[p&3]
}

// ProviderStats are one provider's counters.
type ProviderStats struct {
	Available bool
	Successes uint64
	Failures  uint64
}

// HealthPct is floor(health × 100): the success ratio once the provider
// has been used, else 100 for an available provider and 0 otherwise.
func (p ProviderStats) HealthPct() uint64 {
	if n := p.Successes + p.Failures; n > 0 {
		return p.Successes * 100 / n
	}
	if p.Available {
		return 100
	}
	return 0
}

// GatewayStats are the gateway's counters.
type GatewayStats struct {
	Total, Successful, Failed, RateLimited, Fallback uint64
	Tokens                                           uint64
	SumResponseUs                                    uint64
	Providers                                        [4]ProviderStats
}

// AvgResponseUs is the mean response time of successful requests.
func (g GatewayStats) AvgResponseUs() uint64 {
	if g.Successful == 0 {
		return 0
	}
	return g.SumResponseUs / g.Successful
}

// Gateway routes agents' LLM requests to a provider, falling back to the
// local model when a cloud provider is unavailable. sisemu has no network:
// cloud providers are unavailable, Local always answers.
type Gateway struct {
	stats GatewayStats
}

func newGateway() Gateway {
	g := Gateway{}
	g.stats.Providers[Local].Available = true
	return g
}

// Stats returns a copy of the counters.
func (g *Gateway) Stats() GatewayStats { return g.stats }

// Route serves one request for tokens tokens that prefers provider p and
// takes responseUs on whichever provider answers. Unavailable providers
// count a failure each; answering from another provider counts a fallback.
func (g *Gateway) Route(p Provider, tokens, responseUs uint64) (Provider, error) {
	g.stats.Total++
	for i := int(p & 3); i < len(g.stats.Providers); i++ {
		ps := &g.stats.Providers[i]
		if !ps.Available {
			ps.Failures++
			continue
		}
		ps.Successes++
		g.stats.Successful++
		g.stats.Tokens += tokens
		g.stats.SumResponseUs += responseUs
		if Provider(i) != p {
			g.stats.Fallback++
		}
		return Provider(i), nil
	}
	g.stats.Failed++
	return 0, ErrNoProvider
}
