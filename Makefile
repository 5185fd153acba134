# Two entry points do all the set-up on a fresh Debian machine, idempotently:
#   make demo   install everything, build a small charts run, its gallery, validation and report
#   make test   install everything, lint (ruff), run the test suite (CI runs this through .ci/run)
#   make quick  the quick tier: every test not marked slow (under 2 minutes on 2 cores)
# Each install step leaves a stamp in .stamps/ and reruns only when its inputs change.

VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip
STAMPS  := .stamps
SUDO    := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Chromium renders pyecharts; Noto CJK gives Chinese glyphs to Chromium and matplotlib; TeX Live
# (with XeLaTeX and Chinese) is the sandboxed LaTeX renderer's (renderers/latex.py); the Debian
# Reference (English and Chinese) is the real prose of the docs and pages engines (engines/prose.py);
# poppler is bench.docs' baseline; the photos of mate-backgrounds, plasma-workspace-wallpapers,
# lomiri-wallpapers-16.04/-20.04, lxqt-themes and opencv-doc (its sample images) and the fonts after them are
# the scene engine's backgrounds and typefaces (engines/scene/).
APT_PACKAGES := chromium fonts-noto-cjk fonts-dejavu-core \
	texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures \
	texlive-fonts-recommended texlive-xetex texlive-lang-chinese \
	lmodern fonts-lmodern tex-gyre fonts-texgyre fonts-texgyre-math \
	debian-reference-en debian-reference-zh-cn kicad-doc-en kicad-doc-zh poppler-utils \
	mate-backgrounds plasma-workspace-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 lxqt-themes \
	opencv-doc fonts-dejavu-extra fonts-liberation fonts-lato fonts-urw-base35 fonts-arphic-uming \
	fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-lxgw-wenkai fonts-droid-fallback \
	fonts-dkg-handwriting fonts-breip fonts-sjfonts
# Real arXiv papers (`--engine pages --source`) need journal classes, biblatex and more fonts (about
# 1.5 GB): `make setup-papers` installs them; without them such papers are skipped with a counted reason.
PAPER_PACKAGES := texlive-publishers texlive-bibtex-extra texlive-fonts-extra texlive-science biber cm-super-minimal
# The CPU build of torch that this machine holds on local disk; other versions download gigabytes.
TORCH   ?= torch==2.13.0
DEMO_OUT ?= data/charts-demo

.PHONY: setup setup-papers demo lint test quick bench clean

setup: $(STAMPS)/apt $(STAMPS)/python $(STAMPS)/npm

$(STAMPS)/apt: Makefile
	@missing="$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "apt-get install:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@mkdir -p $(STAMPS) && touch $@

setup-papers: setup
	@missing="$$(for p in $(PAPER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(STAMPS)/python: pyproject.toml $(STAMPS)/apt
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "$(TORCH)"
	$(PIP) install -q -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json $(STAMPS)/apt
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

demo: setup
	$(PY) -m pipelines.build --engine charts --n 200 --shard-size 50 --out $(DEMO_OUT)
	$(PY) -m pipelines.gallery $(DEMO_OUT) --n 48 --out gallery/charts.html
	$(PY) -m pipelines.validate $(DEMO_OUT) --n 48
	$(PY) -m pipelines.report $(DEMO_OUT) --out gallery/charts-report.html
	@echo "open gallery/charts.html (the samples) and gallery/charts-report.html (the build's shape and"
	@echo "its validation by an independent reader) in a browser"

lint: setup
	$(PY) -m ruff check .

# Two xdist workers (at most four where more cores exist): most tests drive one core at a time.
test: lint
	$(PY) -m pytest -q -n auto --maxprocesses 4 --dist loadgroup tests

quick: lint
	$(PY) -m pytest -q -n auto --maxprocesses 4 --dist loadgroup -m "not slow" tests

bench: setup
	$(PY) -m bench.charts

clean:
	rm -rf $(STAMPS) $(VENV) node_modules data/charts-demo gallery
