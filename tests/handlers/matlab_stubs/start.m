function start(t)
% Stand-in for MATLAB's start(timer): the test calls t.TimerFcn itself, when it wants.
end
