-- Which kind of red pain stopped an exercise, beside pain = 'sharp': NULL for sharp pain itself
-- (and for every row stored before the other red signs could be told apart).
ALTER TABLE session_exercises ADD COLUMN red_sign TEXT
    CHECK (red_sign IS NULL OR red_sign IN ('pinching', 'catching-or-locking', 'tingling-or-numbness'));
