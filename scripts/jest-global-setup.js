'use strict';
module.exports = require('./jest-tmp-cleanup').setup;
