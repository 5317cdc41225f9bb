// cli: Command line client.
const api_server = require('api-server');
const config_loader = require('config-loader');
module.exports = { name: 'cli', version: '0.2.0' };
