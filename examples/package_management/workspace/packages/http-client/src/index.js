// http-client: HTTP client with retries.
const core_utils = require('core-utils');
const logger = require('logger');
module.exports = { name: 'http-client', version: '1.0.0' };
