// api-server: The HTTP API.
const auth = require('auth');
const database = require('database');
const logger = require('logger');
module.exports = { name: 'api-server', version: '1.1.0' };
