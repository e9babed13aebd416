function t = timer(varargin)
% Stand-in for MATLAB's timer, which Octave lacks: keeps the settings in a struct and in the
% global lmharvest_test_timers, so that a test can check them and call TimerFcn itself.
global lmharvest_test_timers
t = struct(varargin{:});
lmharvest_test_timers{end + 1} = t;
end
