function lmharvest_extension(action, scheduler)
% LMHARVEST_EXTENSION  Lets the lmharvest agent save this session's workspace and close it.
%
%   lmharvest_extension('start')    watches this process's mailbox (docs/handlers.md): writes a
%                                   heartbeat while the app waits at its prompt and, on a
%                                   save_and_close command, saves every variable and the current
%                                   folder, reports the paths and exits.
%   lmharvest_extension('stop')     stops watching.
%   lmharvest_extension('install')  adds the start line to ~/.octaverc (Octave) or to startup.m
%                                   in userpath (MATLAB), once.
%
%   The mailbox is $LMHARVEST_MAILBOX/<pid>, or, without that variable,
%   $XDG_STATE_HOME/lmharvest/handlers/matlab/mailbox/<pid>. Both folders must be private to
%   the user (owned by them, mode 0700): otherwise the extension refuses to start, so that
%   nobody else can make this session save or exit.
%
%   The second argument of 'start' picks how the mailbox is watched: 'input_event_hook'
%   (Octave's default) or 'timer' (MATLAB's default). It exists so that the timer branch can be
%   tested under Octave with a stand-in timer.
if nargin < 1
    action = 'start';
end
if nargin < 2
    scheduler = '';
end
switch action
    case 'start'
        lh_start(scheduler);
    case 'stop'
        lh_stop();
    case 'tick'
        lh_tick();
    case 'install'
        lh_install();
    otherwise
        error('lmharvest_extension: unknown action "%s" (start, stop or install)', action);
end
end

% ---- watching ----

function lh_start(scheduler)
state = lh_state();
if ~isempty(state)
    return; % already watching
end
if isempty(scheduler)
    if lh_is_octave()
        scheduler = 'input_event_hook';
    else
        scheduler = 'timer';
    end
end
root = getenv('LMHARVEST_MAILBOX');
if isempty(root)
    root = fullfile(lh_state_home(), 'lmharvest', 'handlers', 'matlab', 'mailbox');
end
folder = fullfile(root, sprintf('%d', lh_pid()));
problem = lh_make_private(root);
if isempty(problem)
    problem = lh_make_private(folder);
end
if ~isempty(problem)
    warning('lmharvest:mailbox', 'lmharvest extension is off: %s', problem);
    return;
end
% A command left for an earlier process with the same pid must not act on this one.
lh_delete(fullfile(folder, 'command'));
lh_delete(fullfile(folder, 'result'));
state = struct('folder', folder, 'scheduler', scheduler, 'handle', [], 'last', -Inf);
if strcmp(scheduler, 'timer')
    % MATLAB runs timer callbacks only between statements at its prompt (or in pause/drawnow),
    % so the heartbeat goes stale while code runs, as Octave's input event hook does.
    state.handle = timer('Name', 'lmharvest', 'ExecutionMode', 'fixedSpacing', 'Period', 1, ...
                         'BusyMode', 'drop', 'TimerFcn', @(varargin) lmharvest_extension('tick'));
    start(state.handle);
else
    state.handle = add_input_event_hook(@() lmharvest_extension('tick'));
end
lh_state(state);
lh_tick();
end

function lh_stop()
state = lh_state();
if isempty(state)
    return;
end
if strcmp(state.scheduler, 'timer')
    stop(state.handle);
    delete(state.handle);
else
    remove_input_event_hook(state.handle);
end
lh_delete(fullfile(state.folder, 'status'));
lh_state(struct([]));
end

% Runs at the prompt (Octave: about ten times a second; MATLAB: every second).
function lh_tick()
state = lh_state();
if isempty(state)
    return;
end
now_s = lh_seconds();
if now_s - state.last < 0.5
    return;
end
state.last = now_s;
lh_state(state);
lh_write_pairs(fullfile(state.folder, 'status'), { ...
    'pid', sprintf('%d', lh_pid()); 'application', lh_application(); 'state', 'waiting'; ...
    'time', datestr(now, 'yyyy-mm-ddTHH:MM:SS')});
command_file = fullfile(state.folder, 'command');
if ~exist(command_file, 'file')
    return;
end
% Taking the command is a rename: the agent, which removes it at its deadline, and this
% extension cannot both have it.
taken = fullfile(state.folder, 'command.taken');
if ~lh_rename(command_file, taken)
    return;
end
command = lh_read_pairs(taken);
lh_delete(taken);
if ~strcmp(lh_field(command, 'command'), 'save_and_close')
    lh_write_pairs(fullfile(state.folder, 'result'), {'id', lh_field(command, 'id'); ...
        'status', 'error'; 'message', ['unknown command "' lh_field(command, 'command') '"']});
    return;
end
[paths, problem] = lh_save(command);
if ~isempty(problem)
    lh_write_pairs(fullfile(state.folder, 'result'), {'id', lh_field(command, 'id'); ...
        'status', 'error'; 'message', problem});
    return; % the user keeps working; the agent reports the failure
end
lh_write_pairs(fullfile(state.folder, 'result'), {'id', lh_field(command, 'id'); ...
    'status', 'ok'; 'application', lh_application(); 'workspace', paths.workspace; ...
    'folder', paths.folder});
lh_delete(fullfile(state.folder, 'status'));
exit(0); % Octave may print "ignoring const execution_exception& while preparing to exit": harmless
end

% Saves every variable of the base workspace and the current folder under a new name.
function [paths, problem] = lh_save(command)
paths = struct('workspace', '', 'folder', pwd);
problem = '';
saved_dir = lh_field(command, 'saved_dir');
if isempty(saved_dir) || ~exist(saved_dir, 'dir')
    problem = sprintf('saved_dir "%s" is not a folder', saved_dir);
    return;
end
user = lh_field(command, 'user');
if isempty(user)
    user = getenv('USER');
end
if lh_is_octave()
    app = 'octave';
else
    app = 'matlab';
end
base = fullfile(saved_dir, sprintf('%s-%s-%s', app, user, datestr(now, 'yyyymmdd-HHMMSS')));
candidate = base;
for n = 2:1000
    if ~exist([candidate '.mat'], 'file') && ~exist([candidate '.octave'], 'file') && ...
            ~exist([candidate '.folder'], 'file')
        break;
    end
    candidate = sprintf('%s-%d', base, n);
end
try
    paths.workspace = lh_save_base_workspace(candidate);
    fid = fopen([candidate '.folder'], 'w');
    fprintf(fid, '%s\n', paths.folder);
    fclose(fid);
catch err
    problem = sprintf('saving %s failed: %s', candidate, err.message);
end
end

% Saves every variable of the base workspace as <base>.mat (-v7, the MAT format both MATLAB and
% Octave read) or, when Octave cannot write one of them in that format (a function handle),
% as <base>.octave in Octave's own binary format, which keeps everything.
function file = lh_save_base_workspace(base)
file = [base '.mat'];
quoted = strrep(file, '''', '''''');
if ~lh_is_octave()
    evalin('base', sprintf('save(''%s'', ''-v7'');', quoted));
    return;
end
lastwarn('');
try
    evalin('base', sprintf('save(''-v7'', ''%s'');', quoted));
    fits = isempty(lastwarn());
catch
    fits = false;
end
if fits
    return;
end
lh_delete(file);
file = [base '.octave'];
evalin('base', sprintf('save(''-binary'', ''%s'');', strrep(file, '''', '''''')));
end

% ---- the mailbox folder ----

% '' when `folder` exists (created if absent) as a folder owned by this user with mode 0700.
function problem = lh_make_private(folder)
if ~exist(folder, 'dir')
    if lh_is_octave()
        old = umask(77); % read as octal 077: the folder is private from its first moment
        made = mkdir(folder);
        umask(old);
    else
        made = mkdir(folder);
        if made
            fileattrib(folder, '-r -w -x', 'go');
        end
    end
    if ~made
        problem = sprintf('cannot create %s', folder);
        return;
    end
end
[owner, mode, is_dir] = lh_owner_and_mode(folder);
if ~is_dir
    problem = sprintf('%s is not a folder', folder);
elseif owner ~= lh_uid()
    problem = sprintf('%s is owned by uid %d, not by this user (uid %d)', folder, owner, lh_uid());
elseif bitand(mode, 63) ~= 0
    problem = sprintf('%s has mode %o; it must be 0700', folder, bitand(mode, 511));
else
    problem = '';
end
end

function [owner, mode, is_dir] = lh_owner_and_mode(folder)
if lh_is_octave()
    [info, err] = lstat(folder);
    if err ~= 0
        owner = -1; mode = 0; is_dir = false;
        return;
    end
    owner = info.uid;
    mode = info.mode;
    is_dir = S_ISDIR(info.mode);
else
    % MATLAB has no stat(): ask the JVM, without following a symbolic link.
    path = java.nio.file.Paths.get(folder, javaArray('java.lang.String', 0));
    options = javaArray('java.nio.file.LinkOption', 1);
    options(1) = java.nio.file.LinkOption.NOFOLLOW_LINKS;
    owner = double(java.nio.file.Files.getAttribute(path, 'unix:uid', options));
    mode = double(java.nio.file.Files.getAttribute(path, 'unix:mode', options));
    is_dir = java.nio.file.Files.isDirectory(path, options);
end
end

% ---- small portable pieces (Octave | MATLAB) ----

function yes = lh_is_octave()
yes = exist('OCTAVE_VERSION', 'builtin') ~= 0;
end

function text = lh_application()
if lh_is_octave()
    text = ['Octave ' OCTAVE_VERSION];
else
    text = ['MATLAB R' version('-release')]; % version('-release') is '2024b'
end
end

function pid = lh_pid()
if lh_is_octave()
    pid = getpid();
else
    pid = feature('getpid');
end
end

function uid = lh_uid()
if lh_is_octave()
    uid = getuid();
else
    uid = double(com.sun.security.auth.module.UnixSystem().getUid());
end
end

function seconds = lh_seconds()
seconds = now * 86400;
end

function home = lh_state_home()
home = getenv('XDG_STATE_HOME');
if isempty(home)
    home = fullfile(getenv('HOME'), '.local', 'state');
end
end

function ok = lh_rename(from, to)
if lh_is_octave()
    ok = rename(from, to) == 0; % a syscall; Octave's movefile runs a shell
else
    ok = movefile(from, to, 'f');
end
end

function lh_delete(file)
if exist(file, 'file')
    delete(file);
end
end

% Writes key=value lines to a temporary file and renames it over `file`: readers see the old
% file or the new one, never half of one.
function lh_write_pairs(file, pairs)
temporary = [file '.tmp'];
fid = fopen(temporary, 'w');
if fid < 0
    return;
end
for row = 1:size(pairs, 1)
    fprintf(fid, '%s=%s\n', pairs{row, 1}, strrep(pairs{row, 2}, sprintf('\n'), ' '));
end
fclose(fid);
lh_rename(temporary, file);
end

function pairs = lh_read_pairs(file)
pairs = struct();
lines = strsplit(fileread(file), sprintf('\n'));
for k = 1:numel(lines)
    at = strfind(lines{k}, '=');
    if ~isempty(at)
        key = strtrim(lines{k}(1:at(1) - 1));
        if isvarname(key)
            pairs.(key) = lines{k}(at(1) + 1:end);
        end
    end
end
end

function value = lh_field(pairs, key)
if isfield(pairs, key)
    value = pairs.(key);
else
    value = '';
end
end

% The watcher's state, kept between calls of this file.
function state = lh_state(new_state)
persistent current;
if nargin > 0
    current = new_state;
end
state = current;
end

% ---- install ----

function lh_install()
here = fileparts(mfilename('fullpath'));
line = sprintf('addpath(''%s''); lmharvest_extension(''start'');', strrep(here, '''', ''''''));
if lh_is_octave()
    file = fullfile(getenv('HOME'), '.octaverc');
else
    file = fullfile(strtok(userpath, pathsep), 'startup.m');
end
if exist(file, 'file') && ~isempty(strfind(fileread(file), line))
    fprintf('lmharvest extension: %s already starts it\n', file);
    return;
end
fid = fopen(file, 'a');
if fid < 0
    error('lmharvest_extension: cannot write %s', file);
end
fprintf(fid, '%% lmharvest: lets the agent save this session before it frees the license\n%s\n', line);
fclose(fid);
fprintf('lmharvest extension: added to %s\n', file);
end
