/** The help text of `onehop`: every command, its flags, the exit codes and the environment. */

export const EXIT_OK = 0;
/** A command that was well formed but failed (the core said no, storage unusable, …). */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong: unknown command or flag, missing argument, unknown preset. */
export const EXIT_USAGE = 2;

export const USAGE = `Usage: onehop <command> [options]

OneHop manages sites (Teleport proxies and other SSH bastions), the hosts reached through them
and tunnel profiles. The desktop app and this CLI share the same settings.

Commands:
  onehop sites [--json]                   List sites.
  onehop sites add-preset <name>          Add a preset: its site, hosts and tunnel profiles.
                                          Presets: ecmwf (the centre's Teleport proxy).
  onehop sites add <address> [--name N] [--ssh-port P]
                                          Add a Teleport proxy by its web address, e.g.
                                          teleport.example.org or 127.0.0.1:3080. The site is
                                          named after the host unless --name is given.
  onehop sites add-sandbox                Add the sandbox running on this machine (started with
                                          npm run sandbox); replaces an earlier sandbox site.
  onehop sites rm <name>                  Remove a site with its hosts and tunnel profiles.
  onehop presets [--json]                 List the presets that sites add-preset knows.
  onehop hosts [--json]                   List hosts.
  onehop hosts add <name> --site S --host-name H [--port P] [--login L] [--direct]
                                          Add a host reached through site S (or dialled
                                          directly with --direct); port 22 unless --port.
  onehop hosts rm <name>                  Remove a host.
  onehop login <site|proxy> [--connector ID] [--ttl 12h] [--name N]
                                          Sign in through the browser (BROWSER is honoured)
                                          and keep the certificate in the vault. A new proxy
                                          address (host[:port]) creates its site first.
  onehop status [--json]                  Certificate state, logins and time left per site.
  onehop logout [<site>]                  Forget the certificate of one site, or of all.
  onehop ssh [-p PORT] [--site S] [--accept-new-host-key] [login@]host [-- command …]
                                          Open a shell on a host (a saved host's name, or any
                                          host name) through its site's jump, with the site's
                                          certificate. Words after -- are joined with spaces
                                          and run by the remote shell. A pty is used when stdin
                                          is a terminal; otherwise plain streams. Unknown host
                                          keys are refused unless --accept-new-host-key (which
                                          remembers them); a changed key is always refused.
  onehop tunnel add <name> --via [login@]host[:port] [--site S]
                (-L [bind:]port:host:hostport)… (-D [bind:]port)… [--autostart] [--launch "cmd args"]
                                          Save a tunnel profile: local (-L) and SOCKS5 (-D)
                                          forwards performed by the via host (a saved host's
                                          name or any host), reached through the site's jump.
                                          Bind addresses default to 127.0.0.1.
  onehop tunnel list [--json]             List tunnel profiles.
  onehop tunnel rm <name>                 Remove a tunnel profile.
  onehop tunnel start <name>              Run a tunnel in the foreground until Ctrl-C: prints
                                          "listening on 127.0.0.1:9050 (socks)" per listener,
                                          keeps listening while it reconnects after a drop.
  onehop ssh-config [--site S]            Print the OpenSSH configuration for signed-in sites
                                          (what ~/.ssh/onehop/config holds after sign-in).
  onehop ssh-config --install             Add "Include ~/.ssh/onehop/config" at the top of
                                          ~/.ssh/config (a backup is written first), so plain
                                          ssh, scp and rsync use OneHop's certificates.
  onehop ssh-config --uninstall           Remove that Include block again.
  onehop sites add-oidc <name> --issuer URL --client-id ID --ca-url URL
                [--bastion host[:port]] [--offline-access]
                                          Add a site that signs in with OIDC and gets its
                                          certificate from a step-ca compatible SSH CA.

Options:
  --json                                  Print one JSON document instead of a table:
                                          sites: {"sites":[{"name","kind","proxy","hostPatterns","hosts"}]}
                                          hosts: {"hosts":[{"name","hostName","port","login","site","route"}]}
                                          presets: {"presets":[{"id","title","description","proxy","hosts","tunnels"}]}
                                          status: {"sites":[{"name","kind","proxy","user","logins",
                                            "validAfter","validBefore","remainingSeconds","state","keyType"}]}
  -h, --help                              Show this help.
  -V, --version                           Print the version.

Exit codes:
  0  success
  1  failure (the command was refused, the settings could not be read or written)
  2  usage error (unknown command or flag, missing argument, unknown preset name)
  onehop ssh exits with the remote command's exit code, or 255 when the connection fails.

Environment:
  BROWSER       Command that opens the sign-in page (receives the URL as its argument).
  ONEHOP_HOME   Data directory (settings.json). Default: the desktop app's directory,
                e.g. ~/.config/OneHop on Linux.
`;
