package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// cloneURL returns the URL to clone OWNER/REPO from when --github is given
// without --repo: github.com, or the GitHub Enterprise host of apiURL (its
// REST root, https://HOST/api/v3, or https://api.HOST for GitHub.com's
// own API and GHE.com).
func cloneURL(apiURL, owner, name string) (string, error) {
	if apiURL == "" {
		return "https://github.com/" + owner + "/" + name + ".git", nil
	}
	u, err := url.Parse(apiURL)
	if err != nil {
		return "", errors.New("--api-url: not a valid URL; want an http(s) URL such as https://ghe.example.com/api/v3")
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("--api-url %q: want an http(s) URL such as https://ghe.example.com/api/v3", u.Redacted())
	}
	host := u.Host
	if h, ok := strings.CutPrefix(host, "api."); ok {
		host = h
	}
	path := strings.TrimSuffix(u.Path, "/")
	path = strings.TrimSuffix(path, "/api/v3")
	path = strings.TrimSuffix(path, "/api")
	return (&url.URL{Scheme: u.Scheme, Host: host, Path: path + "/" + owner + "/" + name + ".git"}).String(), nil
}
